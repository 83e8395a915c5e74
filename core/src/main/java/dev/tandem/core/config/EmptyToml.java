package dev.tandem.core.config;

import org.tomlj.Toml;
import org.tomlj.TomlTable;

/** Holds the empty TOML table handed out for absent sections. */
final class EmptyToml {
    static final TomlTable TABLE = Toml.parse("");

    private EmptyToml() {}
}
