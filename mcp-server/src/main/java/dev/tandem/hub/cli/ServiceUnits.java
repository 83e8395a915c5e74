package dev.tandem.hub.cli;

import java.nio.file.Path;

/**
 * Renders the service definitions that run {@code tandem serve} at login: a systemd user unit on Linux and a
 * launchd agent on macOS. Both name the launcher and the configuration file only, never the token.
 */
final class ServiceUnits {
    /** The systemd unit's file name under {@code $XDG_CONFIG_HOME/systemd/user}. */
    static final String SYSTEMD_NAME = "tandem.service";

    /** The launchd agent's label, and its file name (plus {@code .plist}) under {@code ~/Library/LaunchAgents}. */
    static final String LAUNCHD_LABEL = "dev.tandem.hub";

    private ServiceUnits() {}

    /**
     * Returns the systemd user unit: restarted on failure (not after a clean stop), started with the user's
     * session ({@code default.target}), its output in the journal, where journald rotates it.
     */
    static String systemd(Path launcher, Path config) {
        return """
                [Unit]
                Description=Tandem MCP hub for Codex CLI and Claude Code
                After=network.target

                [Service]
                Type=simple
                ExecStart=%s serve --config %s
                Restart=on-failure
                RestartSec=2
                StandardOutput=journal
                StandardError=journal
                SyslogIdentifier=tandem

                [Install]
                WantedBy=default.target
                """.formatted(quote(launcher), quote(config));
    }

    /**
     * Returns the launchd agent: run at load, kept alive after a crash. The hub writes its log into {@code logDir}
     * and rotates it ({@code serve --log-dir}), since launchd never rotates; standard output and error (the start-up
     * lines) go to {@code logDir/hub.out}.
     */
    static String launchd(Path launcher, Path config, Path logDir) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                  <key>Label</key>
                  <string>%s</string>
                  <key>ProgramArguments</key>
                  <array>
                    <string>%s</string>
                    <string>serve</string>
                    <string>--config</string>
                    <string>%s</string>
                    <string>--log-dir</string>
                    <string>%s</string>
                  </array>
                  <key>RunAtLoad</key>
                  <true/>
                  <key>KeepAlive</key>
                  <dict>
                    <key>SuccessfulExit</key>
                    <false/>
                  </dict>
                  <key>StandardOutPath</key>
                  <string>%s</string>
                  <key>StandardErrorPath</key>
                  <string>%s</string>
                </dict>
                </plist>
                """.formatted(
                        LAUNCHD_LABEL,
                        xml(launcher.toString()),
                        xml(config.toString()),
                        xml(logDir.toString()),
                        xml(logDir.resolve("hub.out").toString()),
                        xml(logDir.resolve("hub.out").toString()));
    }

    /** Quotes a path for an {@code ExecStart=} line (systemd.syntax: double quotes, backslash escapes, {@code %%}). */
    private static String quote(Path path) {
        String s = path.toString()
                .replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("%", "%%")
                .replace("$", "$$");
        return "\"" + s + "\"";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
