package dev.tandem.hub.mcp;

import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.portfolio.PortfolioDoc;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code portfolio_list}: the context portfolio's documents with title, size, time and hash. */
final class PortfolioListTool {
    static final String NAME = "portfolio_list";
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "folder":{"type":"string"},
              "documents":{"type":"array","items":{"type":"object","properties":{
                "name":{"type":"string","description":"Use with portfolio_read, e.g. stack or projects/alpha"},
                "fileName":{"type":"string"},"uri":{"type":"string"},"title":{"type":"string"},
                "size":{"type":"integer"},"modified":{"type":"string"},"sha256":{"type":"string"}},
                "required":["name","fileName","uri","title","size","modified","sha256"]}}},
             "required":["folder","documents"]}
            """;

    private final Portfolio portfolio;

    PortfolioListTool(Portfolio portfolio) {
        this.portfolio = portfolio;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "List portfolio",
                "Lists the person's context portfolio (identity, stack, conventions, projects): each "
                        + "document's name, file name, title, size, modified time and sha256. Read one with "
                        + "portfolio_read.",
                ToolSpecs.NO_ARGUMENTS,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", portfolio.dir().toString());
        out.put(
                "documents",
                portfolio.list().stream().map(PortfolioListTool::doc).toList());
        return ToolResults.structured(out);
    }

    static Map<String, Object> doc(PortfolioDoc d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("fileName", d.fileName());
        m.put("uri", d.uri());
        m.put("title", d.title());
        m.put("size", d.size());
        m.put("modified", d.modified().toString());
        m.put("sha256", d.sha256());
        return m;
    }
}
