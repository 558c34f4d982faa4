package org.liso.listen;

/** How {@code liso listen} names a client in its log and in {@code --print} output: {@code [3 127.0.0.1:40112]}. */
record ConnectionTag(long id, String peer) {
    @Override
    public String toString() {
        return "[" + id + " " + peer + "]";
    }
}
