package dev.tandem.hub.mcp;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A JSON Schema validator made on the first validation, not when the MCP server is built.
 *
 * <p>The SDK's default validator loads the JSON Schema library and its Draft 2020-12 meta-schema, and the SDK's
 * builder checks every tool's input and output schema against that meta-schema: about a tenth of the hub's start
 * before its first answer (docs/benchmarks.md, Footprint, third round), for schemas that are Tandem's own constants.
 * This validator skips that check ({@link #validateSchema} answers valid; {@code ToolSchemasTest} checks every
 * tool's schemas against the meta-schema instead) and makes the real validator when the first tool result or
 * argument is validated. A validator that could not be made is not remembered: each validation tries again and
 * throws what the making threw, so the failure reaches the caller of that tool instead of being swallowed.
 */
final class LazySchemaValidator implements JsonSchemaValidator {
    private final Supplier<JsonSchemaValidator> make;
    private volatile JsonSchemaValidator made;

    LazySchemaValidator(Supplier<JsonSchemaValidator> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    /** Answers valid without looking: the tools' schemas are checked by a test, not at every start. */
    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return ValidationResponse.asValid(null);
    }

    /** Returns whether the real validator has been made (for tests). */
    boolean made() {
        return made != null;
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator v = made;
        if (v == null) {
            synchronized (this) {
                v = made;
                if (v == null) {
                    v = Objects.requireNonNull(make.get(), "schema validator");
                    made = v;
                }
            }
        }
        return v;
    }
}
