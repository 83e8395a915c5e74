package dev.tandem.hub.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor redactor = Redactor.forEnvironment(
            Map.of("OPENAI_API_KEY", "sk-live-1234567890abcdef", "GITHUB_TOKEN", "abcdefgh12345678", "HOME", "/root"),
            List.of("hub-token-0123456789"));

    @Test
    void removesTheExactValuesItWasGiven() {
        assertEquals("token [redacted] here", redactor.apply("token hub-token-0123456789 here"));
        assertEquals("gh [redacted]", redactor.apply("gh abcdefgh12345678"));
    }

    @Test
    void keepsOrdinaryValuesOfEnvironmentVariablesWithPlainNames() {
        assertEquals("home is /root", redactor.apply("home is /root"));
    }

    @Test
    void removesCommonKeyAndTokenShapes() {
        for (String secret : List.of(
                "sk-ant-api03-" + "abcdefghijklmnopqrstuv",
                "ghp_" + "abcdefghijklmnopqrstuvwxyz0123",
                "github_pat_" + "11ABCDEFG0123456789_abcdefghij",
                "xoxb-" + "1234567890-abcdefghij",
                "AKIA" + "ABCDEFGHIJKLMNOP")) {
            String out = redactor.apply("found " + secret + " in the log");
            assertFalse(out.contains(secret), out);
        }
        assertEquals(
                "Authorization: Bearer [redacted]", redactor.apply("Authorization: Bearer abcdefghijklmnopqrstuvwxyz"));
        assertEquals("https://[redacted]@example.org/x", redactor.apply("https://me:pa55word@example.org/x"));
        assertEquals("DB_PASSWORD=[redacted] next", redactor.apply("DB_PASSWORD=hunter2hunter2 next"));
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----";
        assertEquals("key: [redacted]", redactor.apply("key: " + key));
    }

    @Test
    void ignoresValuesTooShortToBeSecrets() {
        Redactor r = Redactor.of(List.of("abc", "x"));
        assertEquals("abc x", r.apply("abc x"));
    }

    @Test
    void aLiveRedactorRemovesTheValuesItsSourceHoldsAtEachCall() {
        List<String> current = new ArrayList<>(List.of("first-token-0123456789"));
        Redactor r = Redactor.live(Map.of("GITHUB_TOKEN", "abcdefgh12345678"), () -> List.copyOf(current));
        assertEquals("[redacted] [redacted]", r.apply("first-token-0123456789 abcdefgh12345678"));
        current.set(0, "rotated-token-9876543210");
        assertEquals("[redacted] gone", r.apply("rotated-token-9876543210 gone"));
    }

    @Test
    void removesFleetHostAndEngineKeys() {
        String id = "AbCdEfGhIjKlMnOp";
        String host = "thk1." + id + ".q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c";
        String engine = "thk1." + id + ".codex.Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA_-12345";
        assertEquals("key [redacted] and [redacted].", redactor.apply("key " + host + " and " + engine + "."));
    }
}
