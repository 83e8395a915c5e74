package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptTest {
    @ParameterizedTest(name = "Accept: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                  | true  | true
            application/json, text/event-stream                 | true  | true
            application/json                                    | true  | false
            text/event-stream                                   | false | true
            */*                                                 | true  | true
            text/html                                           | false | false
            'Application/JSON; charset=utf-8'                   | true  | false
            '*/*, text/event-stream;q=0'                        | true  | false
            '*/*;q=0, application/json'                         | true  | false
            'application/json;q=0, text/event-stream'           | false | true
            'application/json;q=0.0, application/*'             | false | false
            'application/*;q=0, application/json;q=0.5'         | true  | false
            'application/json;q=0.001, text/event-stream;q=0.000' | true  | false
            'application/json;q=1;level=1, text/event-stream;Q=0' | true  | false
            """)
    void mostSpecificRangeDecidesAndQZeroRefuses(String header, boolean json, boolean stream) {
        assertEquals(new Accept(json, stream), Accept.parse(Optional.of(header)));
    }
}
