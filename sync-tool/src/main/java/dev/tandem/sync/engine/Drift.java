package dev.tandem.sync.engine;

import java.nio.file.Path;

/**
 * One drifted item: a file, the key path, block or aspect in it, and the expected and actual values.
 *
 * @param file the target file
 * @param item what differs: a key path such as {@code mcp_servers.tandem.url}, a block name, or {@code file}
 * @param expected the value the push would produce
 * @param actual the value on disk
 */
public record Drift(Path file, String item, String expected, String actual) {}
