package dev.tandem.hub.portfolio;

import java.time.Instant;
import java.util.Objects;

/**
 * One document of the context portfolio.
 *
 * @param name its name: the path below the portfolio folder without {@code .md} ({@code stack},
 *     {@code projects/alpha})
 * @param fileName the path below the portfolio folder ({@code projects/alpha.md})
 * @param title the text of its first Markdown heading, or its name
 * @param size its size in bytes
 * @param modified its last modification time
 * @param sha256 the hash of its content
 */
public record PortfolioDoc(String name, String fileName, String title, long size, Instant modified, String sha256) {
    public PortfolioDoc {
        Objects.requireNonNull(name);
        Objects.requireNonNull(fileName);
        Objects.requireNonNull(title);
        Objects.requireNonNull(modified);
        Objects.requireNonNull(sha256);
    }

    /** Returns its resource URI, {@code portfolio://NAME}. */
    public String uri() {
        return Portfolio.SCHEME + name;
    }
}
