package dev.tandem.hub.fs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Tells text from binary the way git and ripgrep do: a NUL byte in the first 8 KiB means binary. */
final class TextFiles {
    static final int SNIFF_BYTES = 8192;

    private TextFiles() {}

    static boolean looksBinary(byte[] bytes, int length) {
        int n = Math.min(length, SNIFF_BYTES);
        for (int i = 0; i < n; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Returns the UTF-8 text of {@code bytes}, refusing binary content or malformed UTF-8. */
    static String decode(String input, byte[] bytes) {
        if (looksBinary(bytes, bytes.length)) {
            throw new FsException(FsException.show(input) + ": binary file (a NUL byte in the first 8 KiB), not read");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FsException(FsException.show(input) + ": not UTF-8 text, not read");
        }
    }
}
