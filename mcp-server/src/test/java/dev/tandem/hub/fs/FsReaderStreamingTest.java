package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fs_read} reads a file in one streaming pass and answers exactly as reading it whole did: the same text,
 * line numbers, size, hash, truncation and refusals, for line breaks, multi-byte characters and bad bytes on either
 * side of a chunk boundary.
 */
class FsReaderStreamingTest {
    @TempDir
    Path root;

    /** What fs_read answered when it read the whole file first: the reference the streaming reader must match. */
    private static TextRead wholeFile(Path real, byte[] bytes, int start, int end, int maxBytes) {
        if (TextFiles.looksBinary(bytes, bytes.length)) {
            throw new FsException("binary");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FsException("not UTF-8");
        }
        StringBuilder out = new StringBuilder();
        int line = 1;
        int pos = 0;
        int last = start - 1;
        long outBytes = 0;
        boolean truncated = false;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int next = nl < 0 ? text.length() : nl + 1;
            if (line >= start && line <= end && !truncated) {
                String l = text.substring(pos, next);
                long b = l.getBytes(StandardCharsets.UTF_8).length;
                if (outBytes + b > maxBytes) {
                    truncated = true;
                } else {
                    out.append(l);
                    outBytes += b;
                    last = line;
                }
            }
            pos = next;
            line++;
        }
        int total = line - 1;
        return new TextRead(
                real, out.toString(), start, Math.min(last, total), total, bytes.length, Sha256.hex(bytes), truncated);
    }

    private void assertSameAnswers(String name, byte[] bytes, int start, Optional<Integer> end, int maxBytes)
            throws Exception {
        Path file = root.resolve(name);
        Files.write(file, bytes);
        FsReader reader = new FsReader(Roots.of(List.of(root)));
        String where = name + " lines " + start + ".." + end + " max " + maxBytes;
        TextRead expected;
        try {
            expected = wholeFile(file.toRealPath(), bytes, start, end.orElse(Integer.MAX_VALUE), maxBytes);
        } catch (FsException refused) {
            FsException e = assertThrows(FsException.class, () -> reader.read(name, start, end, maxBytes), where);
            assertTrue(
                    e.getMessage().contains(refused.getMessage().equals("binary") ? "binary file" : "not UTF-8"),
                    where + ": " + e.getMessage());
            return;
        }
        assertEquals(expected, reader.read(name, start, end, maxBytes), where);
    }

    @Test
    void linesAndCharactersAcrossChunkBoundariesReadAsFromTheWholeFile() throws Exception {
        Random random = new Random(21);
        String[] pieces = {"a", "é", "€", "😀", "\n", "\r\n", "xyz", "\uFEFF"};
        for (int file = 0; file < 12; file++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int target = FsReader.CHUNK_BYTES * (1 + file % 3) + random.nextInt(64) - 32;
            while (bytes.size() < target) {
                String p = pieces[random.nextInt(pieces.length)];
                // long lines too, so a line spans a whole chunk
                bytes.writeBytes((random.nextInt(50) == 0 ? p.repeat(2000) : p).getBytes(StandardCharsets.UTF_8));
            }
            byte[] b = bytes.toByteArray();
            String name = "f" + file + ".txt";
            assertSameAnswers(name, b, 1, Optional.empty(), FsReader.MAX_MAX_BYTES);
            assertSameAnswers(name, b, 1, Optional.empty(), FsReader.DEFAULT_MAX_BYTES);
            assertSameAnswers(name, b, 1, Optional.empty(), 1 + random.nextInt(b.length));
            int start = 1 + random.nextInt(50);
            assertSameAnswers(name, b, start, Optional.of(start + random.nextInt(200)), 1 + random.nextInt(b.length));
            assertSameAnswers(name, b, 100_000, Optional.empty(), 10);
        }
    }

    @Test
    void smallAndEdgeFilesReadAsFromTheWholeFile() throws Exception {
        List<String> texts = new ArrayList<>(
                List.of("", "\n", "\n\n", "one", "one\n", "one\ntwo", "one\ntwo\n", "\r\n", "é\n€\n😀", "\uFEFFbom\n"));
        for (int i = 0; i < texts.size(); i++) {
            byte[] b = texts.get(i).getBytes(StandardCharsets.UTF_8);
            for (int max = 1; max <= 12; max++) {
                for (int start = 1; start <= 4; start++) {
                    assertSameAnswers("s" + i + ".txt", b, start, Optional.empty(), max);
                    assertSameAnswers("s" + i + ".txt", b, start, Optional.of(start), max);
                }
            }
        }
    }

    @Test
    void aMultiByteCharacterSplitByTheChunkBoundaryIsText() throws Exception {
        for (int shift = 1; shift <= 3; shift++) {
            byte[] head = "x".repeat(FsReader.CHUNK_BYTES - shift).getBytes(StandardCharsets.UTF_8);
            byte[] emoji = "😀\nend\n".getBytes(StandardCharsets.UTF_8);
            byte[] b = ByteBuffer.allocate(head.length + emoji.length)
                    .put(head)
                    .put(emoji)
                    .array();
            assertSameAnswers("split" + shift + ".txt", b, 2, Optional.empty(), 100);
        }
    }

    @Test
    void badBytesAfterTheFirstChunkStillRefuseTheFile() throws Exception {
        byte[] head = "ok line\n".repeat(FsReader.CHUNK_BYTES / 8 * 2).getBytes(StandardCharsets.UTF_8);
        for (byte[] tail : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {
            (byte) 0xed, (byte) 0xa0, (byte) 0x80
        })) {
            byte[] b = ByteBuffer.allocate(head.length + tail.length)
                    .put(head)
                    .put(tail)
                    .array();
            assertSameAnswers("bad.txt", b, 1, Optional.of(1), 100);
        }
    }

    @Test
    void aNulByteDecidesBinaryOnlyInTheFirstEightKibibytes() throws Exception {
        byte[] late = "line\n".repeat(4000).getBytes(StandardCharsets.UTF_8);
        late[TextFiles.SNIFF_BYTES + 10] = 0;
        assertSameAnswers("late-nul.txt", late, 1, Optional.of(2), 100);
        byte[] early = late.clone();
        early[TextFiles.SNIFF_BYTES - 1] = 0;
        assertSameAnswers("early-nul.txt", early, 1, Optional.of(2), 100);
    }
}
