package dev.tandem.sync.runtime;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The {@code auth-header} helper: a POSIX sh script (no JVM, so it answers in milliseconds) that reads the 0600
 * token file and prints {@code {"Authorization":"Bearer …"}}, as Codex's {@code http_headers_helper} and Claude
 * Code's {@code headersHelper} expect. It uses only shell builtins, so Codex's minimal environment (HOME and PATH)
 * is enough.
 */
final class AuthHelper {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._+-]+");

    private AuthHelper() {}

    static String script(Path tokenFile) {
        return """
                #!/bin/sh
                # Written by 'tandem sync push-runtime'. Prints the Tandem hub's Authorization header as JSON for
                # Codex (http_headers_helper) and Claude Code (headersHelper); the token stays in one file only.
                token_file=%s
                if [ ! -r "$token_file" ]; then
                  echo "tandem auth-header: cannot read $token_file; run 'tandem token' to create it" >&2
                  exit 1
                fi
                token=
                read -r token < "$token_file" || true
                case $token in
                  '' | *[!0-9A-Za-z_-]*)
                    echo "tandem auth-header: $token_file does not hold a token; run 'tandem token --rotate'" >&2
                    exit 1
                    ;;
                esac
                printf '{"Authorization":"Bearer %%s"}\\n' "$token"
                """.formatted(quote(tokenFile.toString()));
    }

    /** Quotes a word for {@code sh -c} when it needs it. */
    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
