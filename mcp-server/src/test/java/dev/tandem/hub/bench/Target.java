package dev.tandem.hub.bench;

/**
 * A server to benchmark: a name for the table, the tool to call with its arguments, the shell command that starts
 * it on {@code {port}}, and the path of its MCP endpoint.
 */
record Target(String name, String tool, String argumentsJson, String command, String path) {
    Target {
        if (name.isBlank() || tool.isBlank() || command.isBlank() || !path.startsWith("/")) {
            throw new BenchException("incomplete target: " + name + "|" + tool + "|" + command + "|" + path);
        }
    }

    /** Parses {@code NAME|TOOL|ARGUMENTS_JSON|COMMAND}; the endpoint path is {@code /mcp}. */
    static Target parse(String spec) {
        int a = spec.indexOf('|');
        int b = spec.indexOf('|', a + 1);
        int c = spec.indexOf('|', b + 1);
        if (a < 0 || b < 0 || c < 0) {
            throw new BenchException("--target wants NAME|TOOL|ARGUMENTS_JSON|COMMAND, got: " + spec);
        }
        return new Target(
                spec.substring(0, a),
                spec.substring(a + 1, b),
                spec.substring(b + 1, c),
                spec.substring(c + 1),
                "/mcp");
    }
}
