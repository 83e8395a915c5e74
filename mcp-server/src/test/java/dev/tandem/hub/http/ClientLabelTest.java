package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What a session keeps of a client's name, title and version: 256 characters at most, never half of one. */
class ClientLabelTest {
    @Test
    void aLabelIsCutAt256CharactersAndNeverInsideASurrogatePair() {
        int max = StreamableHttpTransport.MAX_CLIENT_LABEL_CHARS;
        assertNull(StreamableHttpTransport.cut(null));
        assertEquals("claude-code", StreamableHttpTransport.cut("claude-code"));
        assertEquals("a".repeat(max), StreamableHttpTransport.cut("a".repeat(max + 10)));
        // an emoji is two chars: one starting at the last kept place is left out whole
        String label = "a".repeat(max - 1) + "😀" + "b";
        assertEquals("a".repeat(max - 1), StreamableHttpTransport.cut(label));
        String fits = "a".repeat(max - 2) + "😀" + "b";
        assertEquals("a".repeat(max - 2) + "😀", StreamableHttpTransport.cut(fits));
    }
}
