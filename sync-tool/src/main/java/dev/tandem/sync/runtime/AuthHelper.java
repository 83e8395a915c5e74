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

    /** The variable each engine reads its credential from in env mode. */
    static String envVar(String engine) {
        return "TANDEM_" + engine.toUpperCase(java.util.Locale.ROOT) + "_TOKEN";
    }

    /** Returns the command an engine's client runs: the helper with the engine's name as its argument. */
    static String command(Settings settings, String engine) {
        return quote(settings.helper().toString()) + " " + engine;
    }

    /**
     * Returns the script. Without an argument it prints the person's token (what homes pushed before engines had
     * their own credential run, until the next push); with {@code codex} or {@code claude} that engine's own
     * credential, and never falls back to the person's token when the engine's is missing (revoked).
     */
    static String script(Path tokenFile, Path codexFile, Path claudeFile) {
        return """
                #!/bin/sh
                # Written by 'tandem sync push-runtime'. Prints the Tandem hub's Authorization header as JSON for
                # Codex (http_headers_helper) and Claude Code (headersHelper); each token stays in its file only.
                # 'auth-header codex' / 'auth-header claude' print that engine's own credential, no argument the
                # person's token.
                fix="run 'tandem sync push-runtime' to make it"
                case ${1-} in
                  '') token_file=%s; fix="run 'tandem token' to create it" ;;
                  codex) token_file=%s ;;
                  claude) token_file=%s ;;
                  *) echo "tandem auth-header: unknown engine '$1' (codex or claude)" >&2; exit 1 ;;
                esac
                if [ ! -r "$token_file" ]; then
                  echo "tandem auth-header: cannot read $token_file; $fix" >&2
                  exit 1
                fi
                token=
                read -r token < "$token_file" || true
                case $token in
                  '' | *[!0-9A-Za-z._-]*)
                    echo "tandem auth-header: $token_file does not hold a token; run 'tandem token --rotate'" >&2
                    exit 1
                    ;;
                esac
                printf '{"Authorization":"Bearer %%s"}\\n' "$token"
                """.formatted(quote(tokenFile.toString()), quote(codexFile.toString()), quote(claudeFile.toString()));
    }

    /** Quotes a word for {@code sh -c} when it needs it. */
    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
