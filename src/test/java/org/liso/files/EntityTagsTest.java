package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {
    private static final String TAG = "\"1a-400-5f\"";

    @Test
    void weakComparisonIgnoresTheWeakPrefix() {
        assertThat(EntityTags.anyMatches(TAG, TAG, false)).isTrue();
        assertThat(EntityTags.anyMatches("W/" + TAG, TAG, false)).isTrue();
        assertThat(EntityTags.anyMatches("\"other\", W/" + TAG, TAG, false)).isTrue();
        assertThat(EntityTags.anyMatches("\"other\",\"x\"", TAG, false)).isFalse();
    }

    @Test
    void strongComparisonNeedsBothStrong() {
        assertThat(EntityTags.anyMatches(TAG, TAG, true)).isTrue();
        assertThat(EntityTags.anyMatches("W/" + TAG, TAG, true)).isFalse();
        assertThat(EntityTags.anyMatches("W/" + TAG + ", " + TAG, TAG, true)).isTrue();
    }

    @Test
    void listsWithOddSpacingAndJunkMembers() {
        assertThat(EntityTags.anyMatches(" ,\t\"a\" ,  ," + TAG + " ", TAG, false)).isTrue();
        assertThat(EntityTags.anyMatches("junk, " + TAG, TAG, false)).isTrue();
        assertThat(EntityTags.anyMatches("1a-400-5f", TAG, false)).as("unquoted is no tag").isFalse();
        assertThat(EntityTags.anyMatches("\"1a-400-5f", TAG, false)).as("unterminated").isFalse();
        assertThat(EntityTags.anyMatches("\"1a-400-5f\"x", TAG, false)).isTrue();
        assertThat(EntityTags.anyMatches("\"1a-400\"", TAG, false)).as("prefix is not equal").isFalse();
        assertThat(EntityTags.anyMatches("", TAG, false)).isFalse();
    }

    @Test
    void wildcardAndTagSyntax() {
        assertThat(EntityTags.isWildcard(" * ")).isTrue();
        assertThat(EntityTags.isWildcard("\"*\"")).isFalse();
        assertThat(EntityTags.looksLikeTag("\"x\"")).isTrue();
        assertThat(EntityTags.looksLikeTag("W/\"x\"")).isTrue();
        assertThat(EntityTags.looksLikeTag("Sun, 06 Nov 1994 08:49:37 GMT")).isFalse();
    }
}
