package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;

/** Checks a job id before it goes into a URL path. */
final class JobsIds {
    private JobsIds() {}

    static String checked(String id) {
        if (!id.matches("[a-z0-9]{1,32}")) {
            throw new ConfigException("'" + id + "' is not a job id (letters and digits, as 'tandem jobs list' shows)");
        }
        return id;
    }
}
