package dev.tandem.core.config;

/** Thrown when the hub's configuration (file, environment or flags) is unusable; the message names where. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
