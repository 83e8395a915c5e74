package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the init system's own tools ({@code systemctl --user}, {@code launchctl}) and names them when they fail. */
final class Processes {
    private Processes() {}

    /** Returns the command's output; throws naming the command and its first output line when it fails. */
    static String run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new ConfigException(String.join(" ", command) + " failed (exit " + exit + "): "
                        + output.strip().lines().findFirst().orElse(""));
            }
            return output;
        } catch (IOException e) {
            throw new ConfigException(command.get(0) + ": cannot run it (" + e.getMessage() + ")", e);
        }
    }
}
