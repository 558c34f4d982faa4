package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamStateTest {

    @Test
    void aRequestWithABodyThenTheResponse() throws Http2Exception {
        StreamState s = StreamState.IDLE.receiveHeaders(1, false);
        assertThat(s).isEqualTo(StreamState.OPEN);
        s = s.receiveData(1, false).receiveData(1, true);
        assertThat(s).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
        assertThat(s.sendEndStream()).isEqualTo(StreamState.CLOSED);
    }

    @Test
    void aResponseBeforeTheBodyEnds() throws Http2Exception {
        StreamState s = StreamState.IDLE.receiveHeaders(1, false).sendEndStream();
        assertThat(s).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
        assertThat(s.remoteOpen()).isTrue();
        assertThat(s.receiveData(1, true)).isEqualTo(StreamState.CLOSED);
    }

    @Test
    void trailersMustEndTheStream() throws Http2Exception {
        StreamState open = StreamState.IDLE.receiveHeaders(1, false);
        assertThat(open.receiveHeaders(1, true)).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
        assertThatThrownBy(() -> open.receiveHeaders(1, false)).isInstanceOfSatisfying(Http2Exception.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }

    @Test
    void framesAfterTheRemoteEndAreStreamClosed() throws Http2Exception {
        StreamState s = StreamState.IDLE.receiveHeaders(1, true);
        for (StreamState closed : new StreamState[] {s, StreamState.CLOSED}) {
            assertThatThrownBy(() -> closed.receiveData(1, false)).isInstanceOfSatisfying(Http2Exception.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STREAM_CLOSED);
                assertThat(e.streamId()).isEqualTo(1);
            });
            assertThatThrownBy(() -> closed.receiveHeaders(1, true)).isInstanceOf(Http2Exception.class);
        }
    }

    @Test
    void idleStreamsTakeNoDataAndNoReset() throws Http2Exception {
        assertThatThrownBy(() -> StreamState.IDLE.receiveData(3, false))
                .isInstanceOfSatisfying(Http2Exception.class, e -> assertThat(e.isConnectionError()).isTrue());
        assertThatThrownBy(() -> StreamState.IDLE.receiveReset(3))
                .isInstanceOfSatisfying(Http2Exception.class, e -> assertThat(e.isConnectionError()).isTrue());
        assertThat(StreamState.OPEN.receiveReset(3)).isEqualTo(StreamState.CLOSED);
    }
}
