package dev.tandem.hub.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's log lines, written through real java.util.logging loggers and handlers. */
class OneLineFormatterTest {
    @TempDir
    Path dir;

    private static String logged(Level level, String message, Throwable thrown) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamHandler handler = new StreamHandler(bytes, new OneLineFormatter());
        Logger logger = Logger.getLogger("dev.tandem.test.OneLine");
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        try {
            logger.log(level, message, thrown);
            handler.flush();
        } finally {
            logger.removeHandler(handler);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void multiLineMessageAndExceptionChainStayOnOneLine() {
        String line = logged(
                Level.SEVERE,
                "first\nsecond \"quoted\"",
                new IllegalStateException("outer\nline", new IOException("inner")));
        assertEquals(1, line.lines().count(), line);
        assertTrue(
                line.matches("time=\\d{4}-\\d\\d-\\d\\dT\\S+Z level=ERROR logger=dev\\.tandem\\.test\\.OneLine"
                        + " msg=\"first\\\\nsecond \\\\\"quoted\\\\\"\" error=\"java\\.lang\\.IllegalStateException:"
                        + " outer\\\\nline <- java\\.io\\.IOException: inner at \\S+\"\\R"),
                line);
    }

    /** A file name from a log folder in a warning: its escape sequences and bidi overrides are escaped too. */
    @Test
    void controlAndFormatCharactersAreEscaped() {
        String line = logged(
                Level.WARNING, "usage: /h/.claude/projects/a\u001b]52;c;eA==\u0007\u009b2J\u202e\u007f.jsonl", null);
        assertTrue(line.contains("a\\u001b]52;c;eA==\\u0007\\u009b2J\\u202e\\u007f.jsonl"), line);
        for (char c : line.stripTrailing().toCharArray()) {
            int type = Character.getType(c);
            assertFalse(type == Character.CONTROL || type == Character.FORMAT, line);
        }
    }

    @Test
    void levelsAreNamedErrorWarnInfoDebugTrace() {
        assertTrue(logged(Level.WARNING, "w", null).contains(" level=WARN "));
        assertTrue(logged(Level.INFO, "i", null).contains(" level=INFO "));
        assertEquals("DEBUG", OneLineFormatter.level(Level.FINE));
        assertEquals("TRACE", OneLineFormatter.level(Level.FINEST));
    }

    @Test
    void bearerHeadersAndTheRegisteredTokenNeverReachALine() {
        String token = "tok-" + "x".repeat(40);
        OneLineFormatter.redact(token);
        String line = logged(
                Level.WARNING,
                "refused Authorization: Bearer abc.def-123 then the token " + token + " itself",
                new IllegalArgumentException("bad header bearer " + token));
        assertFalse(line.contains("abc.def-123"), line);
        assertFalse(line.contains(token), line);
        assertTrue(line.contains("Bearer [redacted]") && line.contains("the token [redacted] itself"), line);
    }

    @Test
    void rotatedLogsWriteOneLineRecordsIntoHub0Log() throws Exception {
        Logger root = Logger.getLogger("");
        List<Handler> before = List.of(root.getHandlers());
        Path logs = dir.resolve("log");
        try {
            RotatedLogs.into(logs);
            Logger.getLogger("dev.tandem.test.Rotated").log(Level.WARNING, "to the file\nstill one line");
            for (Handler h : root.getHandlers()) {
                h.flush();
            }
        } finally {
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
                h.close();
            }
            before.forEach(root::addHandler);
        }
        String text = Files.readString(RotatedLogs.current(logs));
        assertEquals(1, text.lines().count(), text);
        assertTrue(
                text.contains("level=WARN logger=dev.tandem.test.Rotated msg=\"to the file\\nstill one line\""), text);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
    }
}
