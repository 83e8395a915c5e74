package dev.tandem.hub.mcp;

import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.portfolio.PortfolioText;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** {@code portfolio_read}: one portfolio document by name, file name or {@code portfolio://} URI. */
final class PortfolioReadTool {
    static final String NAME = "portfolio_read";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "name":{"type":"string","description":"stack, stack.md, portfolio://stack or projects/alpha"}},
             "required":["name"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "name":{"type":"string"},"fileName":{"type":"string"},"uri":{"type":"string"},
              "title":{"type":"string"},"size":{"type":"integer"},"modified":{"type":"string"},
              "sha256":{"type":"string"},"text":{"type":"string"}},
             "required":["name","fileName","uri","title","size","modified","sha256","text"]}
            """;

    private final Portfolio portfolio;

    PortfolioReadTool(Portfolio portfolio) {
        this.portfolio = portfolio;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Read portfolio document",
                "Reads one document of the person's context portfolio, fresh from disk, by name "
                        + "(stack), file name (stack.md) or URI (portfolio://stack, portfolio://projects/alpha).",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        PortfolioText t = portfolio.read(args.required("name"));
        Map<String, Object> out = PortfolioListTool.doc(t.doc());
        out.put("text", t.text());
        return ToolResults.structured(out);
    }
}
