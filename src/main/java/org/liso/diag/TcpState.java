package org.liso.diag;

/**
 * Socket states as the kernel numbers them in the {@code st} column of /proc/net/tcp (include/net/tcp_states.h),
 * named the way {@code ss} names them. UDP sockets use only {@link #ESTABLISHED} (connected) and {@link #CLOSE}
 * (shown as UNCONN). The TCP machine of RFC 9293 section 3.3.2:
 *
 * <pre>
 *  LISTEN --SYN--> SYN-RECV --ACK--> ESTAB <--SYN,ACK-- SYN-SENT <--connect-- CLOSE
 *  ESTAB --close--> FIN-WAIT-1 --ACK--> FIN-WAIT-2 --FIN--> TIME-WAIT --2MSL--> CLOSE
 *  FIN-WAIT-1 --FIN--> CLOSING --ACK--> TIME-WAIT
 *  ESTAB --FIN--> CLOSE-WAIT --close--> LAST-ACK --ACK--> CLOSE
 * </pre>
 */
public enum TcpState {
    ESTABLISHED(0x01, "ESTAB"),
    SYN_SENT(0x02, "SYN-SENT"),
    SYN_RECV(0x03, "SYN-RECV"),
    FIN_WAIT1(0x04, "FIN-WAIT-1"),
    FIN_WAIT2(0x05, "FIN-WAIT-2"),
    TIME_WAIT(0x06, "TIME-WAIT"),
    CLOSE(0x07, "UNCONN"),
    CLOSE_WAIT(0x08, "CLOSE-WAIT"),
    LAST_ACK(0x09, "LAST-ACK"),
    LISTEN(0x0A, "LISTEN"),
    CLOSING(0x0B, "CLOSING"),
    NEW_SYN_RECV(0x0C, "SYN-RECV");

    private final int code;
    private final String label;

    TcpState(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The state with kernel number {@code code}. */
    public static TcpState of(int code) {
        for (TcpState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown socket state 0x" + Integer.toHexString(code));
    }

    /** The state named as {@code ss} prints it (ESTAB, TIME-WAIT, UNCONN …). */
    public static TcpState ofLabel(String label) {
        for (TcpState s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown socket state '" + label + "'");
    }

    public String label() {
        return label;
    }

    /** A socket left over from a closed connection: it blocks a plain bind but not one with SO_REUSEADDR. */
    public boolean isLingering() {
        return this == TIME_WAIT || this == FIN_WAIT1 || this == FIN_WAIT2 || this == CLOSING || this == LAST_ACK;
    }
}
