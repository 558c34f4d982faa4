package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedValuesAndEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001é");
        m.put("n", 42);
        m.put("l", 7L);
        m.put("b", true);
        m.put("z", null);
        m.put("list", Arrays.asList(1, "x", null, List.of()));
        m.put("nan", Double.NaN);
        assertThat(Json.write(m)).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\n\\u0001é\",\"n\":42,\"l\":7,\"b\":true,\"z\":null,"
                        + "\"list\":[1,\"x\",null,[]],\"nan\":null}");
    }
}
