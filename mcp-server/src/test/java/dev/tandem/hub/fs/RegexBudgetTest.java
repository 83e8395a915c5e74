package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Patterns whose RE2 program would be large are refused from their text alone, naming the limit; the estimate never
 * falls below the size RE2/J's own compiler reports.
 */
class RegexBudgetTest {
    @Test
    void nestedCountsWhoseProductPassesAThousandAreRefusedNamingTheLimit() {
        // RE2/J needs gigabytes for this one; the budget never compiles it
        FsException e = refused("((a{1000}){1000}){1000}");
        assertTrue(e.getMessage().startsWith("query: "), e.getMessage());
        assertTrue(e.getMessage().contains("limit is " + RegexBudget.MAX_REPEAT_PRODUCT), e.getMessage());
    }

    @Test
    void nestingThroughNonCapturingGroupsAndRangesCountsToo() {
        refused("(?:(?:a{2,1000}){0,10}x){1,100}");
        refused("(?i:(?P<n>a{1000,}){2})");
    }

    @Test
    void aLongFlatProgramIsRefusedNamingTheLimit() {
        FsException e = refused("(?:" + "[a-z]{1000}".repeat(25) + ")");
        assertTrue(e.getMessage().contains("limit is " + RegexBudget.MAX_PROGRAM), e.getMessage());
    }

    @Test
    void aPatternLongerThanTheLimitIsRefused() {
        FsException e = refused("a".repeat(RegexBudget.MAX_CHARS + 1));
        assertTrue(e.getMessage().contains("limit is " + RegexBudget.MAX_CHARS), e.getMessage());
    }

    @Test
    void groupsNestedDeeperThanTheLimitAreRefused() {
        // RE2/J's compiler recurses once a group: some thousands of them overflow its stack
        int depth = RegexBudget.MAX_DEPTH + 1;
        FsException e = refused("(".repeat(depth) + "a" + ")".repeat(depth));
        assertTrue(e.getMessage().contains("deeper than " + RegexBudget.MAX_DEPTH), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "synchronized\\s*\\(\\s*this\\s*\\)",
                "\\b(public|protected)\\s+static\\s+final\\s+\\w+\\s+[A-Z_]{20,}\\b",
                "\\w{1000}$",
                "a{1000,}",
                "(\\d{1,3}\\.){3}\\d{1,3}",
                "(?:[0-9a-f]{2}:){5}[0-9a-f]{2}",
                "((a){10}){100}",
                "\\p{Greek}{1000}",
                "\\x{1F600}{1000}",
                "[{}]{1000}",
                "\\Q{1000}(\\E",
            })
    void everydayPatternsPass(String regex) {
        assertDoesNotThrow(() -> RegexBudget.check(regex, regex));
        assertTrue(RegexBudget.estimate(regex) >= Pattern.compile(regex).programSize(), regex);
    }

    @Test
    void theEstimateIsNeverBelowTheProgramRe2Compiles() {
        Random random = new Random(20261207);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            String regex = randomRegex(random, 3);
            long estimate;
            try {
                estimate = RegexBudget.estimate(regex);
            } catch (FsException refused) {
                continue;
            }
            if (estimate > RegexBudget.MAX_PROGRAM) {
                continue; // refused: the direction that matters is what passes
            }
            int size;
            try {
                size = Pattern.compile(regex).programSize();
            } catch (PatternSyntaxException invalid) {
                continue;
            }
            compared++;
            assertTrue(estimate >= size, regex + ": estimated " + estimate + ", RE2/J compiled " + size);
        }
        assertTrue(compared > 5000, "only " + compared + " valid patterns compared");
    }

    private static final String[] ATOMS = {
        "a",
        "b",
        ".",
        "\\d",
        "\\pL",
        "\\p{Greek}",
        "[a-z]",
        "[^\\]x]",
        "[]a]",
        "[[:alpha:]]",
        "\\x{41}",
        "^",
        "$",
        "\\b",
        "\\Qa{2}\\E",
        "{",
        "}",
        "\\{",
        "(?i)",
        "|",
        "",
    };
    private static final String[] QUANTIFIERS = {
        "", "", "*", "+", "?", "*?", "{2}", "{0}", "{3,}", "{1,4}", "{0,7}", "{10}", "{,2}", "{2}{3}", "{x}",
    };

    private static String randomRegex(Random random, int depth) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (depth > 0 && random.nextInt(3) == 0) {
                String[] opens = {"(", "(?:", "(?P<g" + i + depth + ">", "(?i:"};
                b.append(opens[random.nextInt(opens.length)])
                        .append(randomRegex(random, depth - 1))
                        .append(random.nextInt(4) == 0 ? "|" + randomRegex(random, depth - 1) : "")
                        .append(')');
            } else {
                b.append(ATOMS[random.nextInt(ATOMS.length)]);
            }
            b.append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
        }
        return b.toString();
    }

    private static FsException refused(String regex) {
        return assertThrows(FsException.class, () -> RegexBudget.check(regex, regex), regex);
    }
}
