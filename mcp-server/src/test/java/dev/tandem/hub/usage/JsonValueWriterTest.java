package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

class JsonValueWriterTest {
    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final JsonMapper INDENTED =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void writesWhatAnIndentingMapperWritesForEveryKindOfValue() {
        Map<String, Object> v = everyKind();
        assertEquals(INDENTED.writeValueAsString(v), JsonValueWriter.indented(v));
    }

    @Test
    void writesWhatAPlainMapperWritesForEveryKindOfValue() {
        Map<String, Object> v = everyKind();
        assertEquals(PLAIN.writeValueAsString(v), JsonValueWriter.compact(v));
    }

    @Test
    void writesACodexCursorStateAsAMapperDid() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("session", "019a-ffe0");
        s.put("model", "gpt-5.5");
        s.put("cwd", "/home/dev/code/shop \"api\"");
        s.put("total", new long[] {1234567, 0, 89, Long.MAX_VALUE, 5});
        assertEquals(PLAIN.writeValueAsString(s), JsonValueWriter.compact(s));
        assertEquals(
                "{\"session\":\"019a-ffe0\",\"model\":\"gpt-5.5\",\"cwd\":\"/home/dev/code/shop \\\"api\\\"\","
                        + "\"total\":[1234567,0,89,9223372036854775807,5]}",
                JsonValueWriter.compact(s));
    }

    @Test
    void writesGeneratedReportsAsAMapperDoes() {
        Random r = new Random(19);
        for (int n = 0; n < 300; n++) {
            Object v = generated(r, 0);
            assertEquals(INDENTED.writeValueAsString(v), JsonValueWriter.indented(v), () -> "value " + v);
            assertEquals(PLAIN.writeValueAsString(v), JsonValueWriter.compact(v), () -> "value " + v);
        }
    }

    @Test
    void refusesAValueWithNoJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> JsonValueWriter.compact(Map.of("at", new Object())));
    }

    private static Map<String, Object> everyKind() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("report", "daily");
        v.put("version", 1);
        v.put("since", null);
        v.put("responses", 123_456_789_012L);
        v.put("costUSD", 1234.567891);
        v.put("small", 1.0E-7);
        v.put("whole", 2.0);
        v.put("large", 1.0E21);
        v.put("negative", -0.5);
        v.put("notANumber", Double.NaN);
        v.put("active", true);
        v.put("done", false);
        v.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 é 😀 </script>");
        v.put("empty", new LinkedHashMap<>());
        v.put("none", List.of());
        v.put("hosts", new TreeSet<>(List.of("b", "a")));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("rows", List.of(Map.of("key", "2026-12-06"), List.of(1, 2L, 3.5), "x"));
        v.put("totals", nested);
        return v;
    }

    /** A random value of the kinds reports hold, nested a few levels. */
    private static Object generated(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextInt();
            case 3 -> r.nextLong();
            case 4 -> Math.round(r.nextDouble() * Math.pow(10, r.nextInt(12))) / 1_000_000.0;
            case 5 -> text(r);
            case 6 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put(text(r), generated(r, depth + 1));
                }
                yield m;
            }
            default -> {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    l.add(generated(r, depth + 1));
                }
                yield l;
            }
        };
    }

    private static String text(Random r) {
        String chars = "ab-_:/. \"\\\n\té😀\u0007";
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            int k = r.nextInt(chars.length());
            s.append(Character.isSurrogate(chars.charAt(k)) ? "😀" : String.valueOf(chars.charAt(k)));
        }
        return s.toString();
    }
}
