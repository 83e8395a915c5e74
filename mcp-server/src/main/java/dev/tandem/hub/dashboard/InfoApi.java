package dev.tandem.hub.dashboard;

import dev.tandem.core.json.Json;
import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.portfolio.PortfolioDoc;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /api/portfolio} and {@code GET /api/sync} (the last {@code check-sync} the sync tool recorded). */
final class InfoApi {
    private static final JsonMapper JSON = Json.mapper();

    private final Portfolio portfolio;
    private final Path checkSyncFile;

    InfoApi(Portfolio portfolio, Path checkSyncFile) {
        this.portfolio = portfolio;
        this.checkSyncFile = checkSyncFile;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/portfolio", this::portfolio).get("/api/sync", this::sync);
    }

    private void portfolio(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> docs =
                portfolio.list().stream().map(InfoApi::document).toList();
        Replies.ok(res, Map.of("documents", docs));
    }

    private static Map<String, Object> document(PortfolioDoc d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", d.fileName());
        out.put("title", d.title());
        out.put("bytes", d.size());
        out.put("updatedAt", d.modified().toString());
        return out;
    }

    private void sync(ServerRequest req, ServerResponse res) {
        ObjectNode out = JSON.createObjectNode();
        String text;
        try {
            text = Files.readString(checkSyncFile);
        } catch (NoSuchFileException e) {
            out.put("present", false);
            Replies.ok(res, out);
            return;
        } catch (IOException e) {
            out.put("present", false);
            out.put("error", checkSyncFile + ": cannot read: " + e.getMessage());
            Replies.ok(res, out);
            return;
        }
        try {
            JsonNode saved = JSON.readTree(text);
            if (!(saved instanceof ObjectNode object)) {
                throw new BadRequestException("not a JSON object");
            }
            out.put("present", true);
            out.setAll(object);
        } catch (JacksonException | BadRequestException e) {
            out.put("present", false);
            out.put("error", checkSyncFile + ": not a check-sync record: " + e.getMessage());
        }
        Replies.ok(res, out);
    }
}
