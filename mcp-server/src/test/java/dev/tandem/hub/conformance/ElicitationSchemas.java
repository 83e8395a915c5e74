package dev.tandem.hub.conformance;

/** The {@code requestedSchema} JSON of the suite's elicitation fixtures, verbatim from its reference server. */
final class ElicitationSchemas {
    /** {@code test_elicitation}: one required string. */
    static final String RESPONSE = """
            {"type":"object",
             "properties":{"response":{"type":"string","description":"User's response"}},
             "required":["response"]}""";

    /** {@code test_elicitation_sep1034_defaults}: a default for every primitive type (SEP-1034). */
    static final String DEFAULTS = """
            {"type":"object",
             "properties":{
               "name":{"type":"string","description":"User name","default":"John Doe"},
               "age":{"type":"integer","description":"User age","default":30},
               "score":{"type":"number","description":"User score","default":95.5},
               "status":{"type":"string","description":"User status",
                         "enum":["active","inactive","pending"],"default":"active"},
               "verified":{"type":"boolean","description":"Verification status","default":true}},
             "required":[]}""";

    /** {@code test_elicitation_sep1330_enums}: the five enum variants of SEP-1330. */
    static final String ENUMS = """
            {"type":"object",
             "properties":{
               "untitledSingle":{"type":"string","description":"Select one option",
                                 "enum":["option1","option2","option3"]},
               "titledSingle":{"type":"string","description":"Select one option with titles",
                               "oneOf":[{"const":"value1","title":"First Option"},
                                        {"const":"value2","title":"Second Option"},
                                        {"const":"value3","title":"Third Option"}]},
               "legacyEnum":{"type":"string","description":"Select one option (legacy)",
                             "enum":["opt1","opt2","opt3"],
                             "enumNames":["Option One","Option Two","Option Three"]},
               "untitledMulti":{"type":"array","description":"Select multiple options","minItems":1,"maxItems":3,
                                "items":{"type":"string","enum":["option1","option2","option3"]}},
               "titledMulti":{"type":"array","description":"Select multiple options with titles",
                              "minItems":1,"maxItems":3,
                              "items":{"anyOf":[{"const":"value1","title":"First Choice"},
                                                {"const":"value2","title":"Second Choice"},
                                                {"const":"value3","title":"Third Choice"}]}}},
             "required":[]}""";

    private ElicitationSchemas() {}
}
