package dev.tandem.hub.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortfolioTest {
    @Test
    void shippedExamplePortfolioHasIdentityStackConventionsAndAProject() {
        // surefire runs in mcp-server/, so the checkout's context-portfolio/ is one level up
        Portfolio shipped = new Portfolio(Path.of("..", "context-portfolio"));
        List<PortfolioDoc> docs = shipped.list();
        assertEquals(
                List.of("conventions", "identity", "projects/alpha", "stack"),
                docs.stream().map(PortfolioDoc::name).toList());
        assertEquals(
                List.of("Conventions", "Identity", "Project Alpha", "Stack"),
                docs.stream().map(PortfolioDoc::title).toList());
        assertTrue(shipped.read("portfolio://stack").text().contains("Java 21"));
    }

    @Test
    void nameOfStripsSchemeAndSuffix() {
        assertEquals("projects/alpha", Portfolio.nameOf("portfolio://projects/alpha.md"));
        assertEquals("stack", Portfolio.nameOf("stack.md"));
        assertEquals("stack", Portfolio.nameOf("stack"));
    }

    @Test
    void titleIsTheFirstHeadingText() {
        assertEquals(Optional.of("Who I am"), Portfolio.title("intro\n\n## Who I am\n# Later\n"));
        assertEquals(Optional.empty(), Portfolio.title("no heading\n"));
    }
}
