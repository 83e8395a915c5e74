package dev.tandem.core.memory;

/**
 * What an import did.
 *
 * @param added history rows that were new
 * @param present history rows that were already there (same id and version)
 */
public record ImportResult(int added, int present) {}
