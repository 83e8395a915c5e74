package dev.tandem.hub.portfolio;

import java.util.Objects;

/**
 * A portfolio document and its text, as read from disk just now.
 *
 * @param doc the document
 * @param text its content
 */
public record PortfolioText(PortfolioDoc doc, String text) {
    public PortfolioText {
        Objects.requireNonNull(doc);
        Objects.requireNonNull(text);
    }
}
