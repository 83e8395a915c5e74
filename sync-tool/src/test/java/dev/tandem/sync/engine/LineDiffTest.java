package dev.tandem.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {
    @Test
    void blockChangedInAHugeFileDiffsAsTheBlockWithContext() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            before.add("line " + i);
        }
        List<String> after = new ArrayList<>(before);
        after.set(35_000, "changed");
        after.add(35_001, "added");

        assertEquals(
                List.of(
                        "  ...",
                        "  line 34998",
                        "  line 34999",
                        "+ changed",
                        "+ added",
                        "- line 35000",
                        "  line 35001",
                        "  line 35002"),
                LineDiff.diff(before, after));
    }
}
