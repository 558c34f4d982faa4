package org.liso.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered list of header fields. Names keep the case they were received or added with; lookups ignore case
 * (RFC 9110 §5.1). Strings are ISO-8859-1: one char per octet, so obs-text survives unchanged.
 */
public final class Headers {
    private String[] names;
    private String[] values;
    private int size;

    public Headers() {
        names = new String[8];
        values = new String[8];
    }

    public void add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    /** Replaces every field of that name with one, at the position of the first (or at the end). */
    public void set(String name, String value) {
        int first = indexOf(name, 0);
        if (first < 0) {
            add(name, value);
            return;
        }
        names[first] = name;
        values[first] = value;
        removeFrom(name, first + 1);
    }

    /** The first value of that field, or null. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i];
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                out.add(values[i]);
            }
        }
        return out;
    }

    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Removes every field of that name; true if there was one. */
    public boolean remove(String name) {
        return removeFrom(name, 0);
    }

    public int size() {
        return size;
    }

    public String name(int i) {
        checkIndex(i);
        return names[i];
    }

    public String value(int i) {
        checkIndex(i);
        return values[i];
    }

    /**
     * Whether any field of that name, read as a comma-separated list (RFC 9110 §5.6.1), holds the token, ignoring
     * case and OWS: {@code hasToken("Connection", "close")}.
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name) && listContains(values[i], token)) {
                return true;
            }
        }
        return false;
    }

    static boolean listContains(String list, String token) {
        int n = list.length();
        int start = 0;
        while (start <= n) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int a = start;
            int b = end;
            while (a < b && isOws(list.charAt(a))) {
                a++;
            }
            while (b > a && isOws(list.charAt(b - 1))) {
                b--;
            }
            if (b - a == token.length() && list.regionMatches(true, a, token, 0, b - a)) {
                return true;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean removeFrom(String name, int from) {
        int kept = from;
        for (int i = from; i < size; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        boolean removed = kept != size;
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return removed;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("field " + i + " of " + size);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < size; i++) {
            b.append(names[i]).append(": ").append(values[i]).append("\r\n");
        }
        return b.toString();
    }
}
