package org.liso.http2;

/**
 * The dynamic table of RFC 7541 §2.3.2 and §4: a FIFO of fields, newest at index 1 (after the static table), whose
 * size is the sum of name length + value length + 32 per entry, evicting the oldest to stay within the maximum.
 */
final class DynamicTable {
    static final int ENTRY_OVERHEAD = 32;

    private String[] names = new String[16];
    private String[] values = new String[16];
    /** Slot of the oldest entry; entries run from there, wrapping, count long. */
    private int head;
    private int count;
    private long size;
    private long maxSize;

    DynamicTable(long maxSize) {
        this.maxSize = maxSize;
    }

    int count() {
        return count;
    }

    long size() {
        return size;
    }

    long maxSize() {
        return maxSize;
    }

    /** §4.3: a smaller maximum evicts at once. */
    void setMaxSize(long max) {
        maxSize = max;
        evictTo(max);
    }

    /** §4.4: an entry larger than the table empties it and is not added; that is not an error. */
    void add(String name, String value) {
        long entry = entrySize(name, value);
        if (entry > maxSize) {
            evictTo(0);
            return;
        }
        evictTo(maxSize - entry);
        if (count == names.length) {
            grow();
        }
        int slot = (head + count) % names.length;
        names[slot] = name;
        values[slot] = value;
        count++;
        size += entry;
    }

    /** @param index 1 = the newest entry */
    String name(int index) {
        return names[slot(index)];
    }

    String value(int index) {
        return values[slot(index)];
    }

    /** @return the dynamic index (1 = newest) of an entry equal to name and value, or 0 */
    int indexOf(String name, String value) {
        for (int i = 1; i <= count; i++) {
            int s = slot(i);
            if (names[s].equals(name) && values[s].equals(value)) {
                return i;
            }
        }
        return 0;
    }

    /** @return the dynamic index of an entry with this name, or 0 */
    int indexOfName(String name) {
        for (int i = 1; i <= count; i++) {
            if (names[slot(i)].equals(name)) {
                return i;
            }
        }
        return 0;
    }

    static long entrySize(String name, String value) {
        return (long) name.length() + value.length() + ENTRY_OVERHEAD;
    }

    private int slot(int index) {
        if (index < 1 || index > count) {
            throw new IndexOutOfBoundsException(index);
        }
        return (head + count - index) % names.length;
    }

    private void evictTo(long target) {
        while (size > target && count > 0) {
            size -= entrySize(names[head], values[head]);
            names[head] = null;
            values[head] = null;
            head = (head + 1) % names.length;
            count--;
        }
    }

    private void grow() {
        String[] n = new String[names.length * 2];
        String[] v = new String[names.length * 2];
        for (int i = 0; i < count; i++) {
            n[i] = names[(head + i) % names.length];
            v[i] = values[(head + i) % names.length];
        }
        names = n;
        values = v;
        head = 0;
    }
}
