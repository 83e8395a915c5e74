package dev.tandem.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where Tandem keeps its own files: {@code ~/.tandem} and what lies in it. The defaults of the configuration and
 * every file the sync tool keeps for itself are named here, once.
 *
 * @param home the home {@code ~} stands for (the sync tool's {@code --home} replaces it)
 */
public record TandemLayout(Path home) {
    public TandemLayout {
        Objects.requireNonNull(home, "home");
    }

    /** Returns {@code ~/.tandem}. */
    public Path dir() {
        return home.resolve(".tandem");
    }

    /**
     * Returns {@code ~/.tandem/source}, the person's own content ({@code tandem init} makes it): portfolio, shared
     * memory, skills, commands and the clients' fragments, outside Tandem's checkout.
     */
    public Path sourceDir() {
        return dir().resolve("source");
    }

    /** Returns {@code ~/.tandem/hub.toml}, the configuration file when none is named. */
    public Path configFile() {
        return dir().resolve("hub.toml");
    }

    /** Returns {@code ~/.tandem/token}, the default bearer token file. */
    public Path tokenFile() {
        return dir().resolve("token");
    }

    /** Returns {@code ~/.tandem/data}, the default data folder (the store). */
    public Path dataDir() {
        return dir().resolve("data");
    }

    /** Returns {@code ~/.tandem/state}, where the sync tool leaves its last check-sync result for the dashboard. */
    public Path stateDir() {
        return dir().resolve("state");
    }

    /** Returns {@code ~/.tandem/bin/auth-header}, the helper both clients run to get the Authorization header. */
    public Path authHelper() {
        return dir().resolve("bin").resolve("auth-header");
    }

    /** Returns {@code ~/.tandem/manifest.json}, what the sync tool wrote where. */
    public Path manifest() {
        return dir().resolve("manifest.json");
    }

    /** Returns {@code ~/.tandem/backups}, the sync tool's copies of what it replaced. */
    public Path backups() {
        return dir().resolve("backups");
    }
}
