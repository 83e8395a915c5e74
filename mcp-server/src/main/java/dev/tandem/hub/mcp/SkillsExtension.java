package dev.tandem.hub.mcp;

import dev.tandem.hub.http.ProtocolExtension;
import dev.tandem.hub.skills.SkillFiles;
import dev.tandem.hub.skills.SkillLibrary;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The Skills extension {@code io.modelcontextprotocol/skills} of MCP 2026-07-28: {@code skills/list} and {@code
 * skills/get} with a complete manifest of each skill's files ({@code sha256:} digest and size, computed from the
 * bytes served), and {@code resources/read} of every file {@code skill://<name>/<path>}.
 *
 * <p>Spec: modelcontextprotocol/ext-skills {@code specification/stable/skills.mdx} (SEP-2640).
 */
final class SkillsExtension implements ProtocolExtension {
    static final String ID = "io.modelcontextprotocol/skills";
    static final String LIST = "skills/list";
    static final String GET = "skills/get";
    /** Skills per page of {@code skills/list}. */
    static final int PAGE = 50;

    private final SkillFiles files;

    SkillsExtension(SkillFiles files) {
        this.files = files;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of();
    }

    @Override
    public Set<String> methods() {
        return Set.of(LIST, GET);
    }

    @Override
    public boolean reads(String uri) {
        return uri.startsWith(SkillsCapability.SCHEME) && uri.indexOf('/', SkillsCapability.SCHEME.length()) > 0;
    }

    @Override
    public Map<String, Object> answer(String method, JsonNode params) {
        try {
            return switch (method) {
                case LIST -> list(text(params, "cursor", false));
                case GET -> get(text(params, "uri", true).orElseThrow());
                default -> read(text(params, "uri", true).orElseThrow());
            };
        } catch (SkillLibrary.SkillException e) {
            throw new Refusal(McpSchema.ErrorCodes.INTERNAL_ERROR, e.getMessage(), null);
        }
    }

    private Map<String, Object> list(Optional<String> cursor) {
        List<String> slugs = files.slugs();
        int from = 0;
        if (cursor.isPresent()) {
            String after = decodeCursor(cursor.get());
            from = (int) slugs.stream().filter(s -> s.compareTo(after) <= 0).count();
        }
        List<Object> page = new ArrayList<>();
        int i = from;
        for (; i < slugs.size() && page.size() < PAGE; i++) {
            try {
                files.manifest(slugs.get(i)).ifPresent(m -> page.add(skill(m)));
            } catch (SkillLibrary.SkillException e) {
                // a skill that cannot be served whole is left out of the list; skills/get names the problem
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("skills", page);
        if (i < slugs.size()) {
            out.put(
                    "nextCursor",
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(slugs.get(i - 1).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: unknown cursor " + cursor, null);
        }
    }

    private Map<String, Object> get(String uri) {
        Optional<String> slug = slugOf(uri);
        Optional<SkillFiles.Manifest> manifest = slug.flatMap(files::manifest);
        if (manifest.isEmpty()) {
            throw new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "No skill is served at " + uri, Map.of("uri", uri));
        }
        return Map.of("skill", skill(manifest.get()));
    }

    /** The slug of {@code skill://<slug>/SKILL.md}. */
    private static Optional<String> slugOf(String uri) {
        String suffix = "/SKILL.md";
        if (!uri.startsWith(SkillsCapability.SCHEME) || !uri.endsWith(suffix)) {
            return Optional.empty();
        }
        String slug = uri.substring(SkillsCapability.SCHEME.length(), uri.length() - suffix.length());
        return slug.contains("/") ? Optional.empty() : Optional.of(slug);
    }

    private static Map<String, Object> skill(SkillFiles.Manifest m) {
        List<Object> resources = new ArrayList<>();
        for (SkillFiles.Entry e : m.files()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("uri", uri(m.slug(), e.path()));
            r.put("digest", e.digest());
            r.put("size", e.size());
            resources.add(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uri", uri(m.slug(), "SKILL.md"));
        out.put("frontmatter", m.frontMatter());
        out.put("resources", resources);
        return out;
    }

    private Map<String, Object> read(String uri) {
        String rest = uri.substring(SkillsCapability.SCHEME.length());
        int slash = rest.indexOf('/');
        Optional<byte[]> bytes = files.read(rest.substring(0, slash), rest.substring(slash + 1));
        if (bytes.isEmpty()) {
            throw new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Resource not found: " + uri, Map.of("uri", uri));
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("uri", uri);
        Optional<String> text = utf8(bytes.get());
        if (text.isPresent()) {
            content.put("mimeType", uri.endsWith(".md") ? "text/markdown" : "text/plain");
            content.put("text", text.get());
        } else {
            content.put("mimeType", "application/octet-stream");
            content.put("blob", Base64.getEncoder().encodeToString(bytes.get()));
        }
        return Map.of("contents", List.of(content));
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static String uri(String slug, String path) {
        return SkillsCapability.SCHEME + slug + "/" + path;
    }

    private static Optional<String> text(JsonNode params, String key, boolean required) {
        JsonNode v = params == null || !params.isObject() ? null : params.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Refusal(
                        McpSchema.ErrorCodes.INVALID_PARAMS,
                        "Invalid params: " + key + " (a string) is required",
                        null);
            }
            return Optional.empty();
        }
        if (!v.isString()) {
            throw new Refusal(
                    McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: " + key + " must be a string", null);
        }
        return Optional.of(v.asString());
    }
}
