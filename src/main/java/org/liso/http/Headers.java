package org.liso.http;

import java.util.ArrayList;
import java.util.List;

/** Interim version; the full codec lands from the http branch. */
public final class Headers {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    public void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    public void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    public String get(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    public int count(String name) {
        return all(name).size();
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    public boolean remove(String name) {
        boolean any = false;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
                any = true;
            }
        }
        return any;
    }

    public int size() {
        return names.size();
    }

    public String name(int i) {
        return names.get(i);
    }

    public String value(int i) {
        return values.get(i);
    }

    public boolean hasToken(String name, String token) {
        for (String v : all(name)) {
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
