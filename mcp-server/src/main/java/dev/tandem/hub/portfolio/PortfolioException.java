package dev.tandem.hub.portfolio;

/** Thrown when a portfolio document cannot be found or read; the message is one line naming it. */
public final class PortfolioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PortfolioException(String message) {
        super(message);
    }

    public PortfolioException(String message, Throwable cause) {
        super(message, cause);
    }
}
