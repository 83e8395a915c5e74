package dev.tandem.sync.runtime;

/** How the clients get the hub's bearer token. */
public enum AuthMode {
    /** A helper script prints the Authorization header from the token file (the default). */
    HELPER,
    /** The clients read {@code $TANDEM_TOKEN}, exported by a managed block in the shell rc files. */
    ENV
}
