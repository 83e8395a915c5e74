package dev.tandem.sync.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/** Converts parsed TOML to plain maps and lists and compares values as Codex would read them. */
public final class TomlValues {
    private TomlValues() {}

    /** A leaf that differs: its dotted key path, the expected and the actual value ("(absent)" when missing). */
    public record Difference(String key, String expected, String actual) {}

    /** Returns a TOML value as plain Java: maps, lists, strings, numbers, booleans, dates. */
    public static Object plain(Object value) {
        if (value instanceof TomlTable table) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                map.put(key, plain(table.get(List.of(key))));
            }
            return map;
        }
        if (value instanceof TomlArray array) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                list.add(plain(array.get(i)));
            }
            return list;
        }
        return value;
    }

    /** Lists the leaves where {@code actual} differs from {@code expected}; numbers compare by value (20 = 20.0). */
    public static List<Difference> diff(String prefix, Object expected, Object actual) {
        List<Difference> out = new ArrayList<>();
        diff(prefix, expected, actual, out);
        return out;
    }

    private static void diff(String key, Object expected, Object actual, List<Difference> out) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            for (var entry : e.entrySet()) {
                diff(key + "." + entry.getKey(), entry.getValue(), a.get(entry.getKey()), out);
            }
            for (var entry : a.entrySet()) {
                if (!e.containsKey(entry.getKey())) {
                    out.add(new Difference(key + "." + entry.getKey(), "(absent)", show(entry.getValue())));
                }
            }
            return;
        }
        if (!same(expected, actual)) {
            out.add(new Difference(key, show(expected), show(actual)));
        }
    }

    private static boolean same(Object expected, Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Map<?, ?> && actual instanceof Map<?, ?>) {
            return diff("", expected, actual).isEmpty();
        }
        return Objects.equals(expected, actual);
    }

    static String show(Object value) {
        if (value == null) {
            return "(absent)";
        }
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        return String.valueOf(value);
    }
}
