package dev.tandem.hub.auth;

import dev.tandem.core.store.StoreSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment variables that hold the hub's own secrets, which no process the hub starts for an agent (a job, a
 * delegation, a task) inherits: what that process prints reaches the agent, and a redactor that matches values
 * exactly is defeated by a reversed or encoded copy ({@code printenv TANDEM_STORE_PASSWORD | rev}).
 */
public final class HubSecrets {
    /** The person's bearer token as a shell exports it for hand-written client set-ups. */
    public static final String TOKEN_ENV = "TANDEM_TOKEN";

    /**
     * Every variable a hub secret may be in: the person's token and the PostgreSQL store's password ({@value
     * StoreSettings#PASSWORD_ENV}).
     */
    public static final List<String> VARIABLES = List.of(TOKEN_ENV, StoreSettings.PASSWORD_ENV);

    private HubSecrets() {}

    /** Returns whether {@code name} is one of {@link #VARIABLES}. */
    public static boolean isSecret(String name) {
        return VARIABLES.contains(name);
    }

    /** The shortest secret value whose copies under other names are removed too (a shorter one would hit chance). */
    static final int MIN_COPIED_CHARS = 8;

    /**
     * Returns a copy of {@code env} without {@link #VARIABLES} and without any other variable whose value holds the
     * value of one of them (a copy the person made for a script), when that value has at least {@value
     * #MIN_COPIED_CHARS} characters.
     */
    public static Map<String, String> without(Map<String, String> env) {
        List<String> values = VARIABLES.stream()
                .map(env::get)
                .filter(v -> v != null && v.length() >= MIN_COPIED_CHARS)
                .toList();
        Map<String, String> out = new HashMap<>(env);
        out.keySet().removeAll(VARIABLES);
        out.values().removeIf(v -> values.stream().anyMatch(v::contains));
        return out;
    }
}
