package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tandem.core.store.StoreSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment a job's (and so a delegation's) engine process gets from the hub's. */
class JobEnvironmentTest {
    private static final String TOKEN = "hub-token-8a7b6c5d4e3f";
    private static final String PASSWORD = "pg-password-5d1c9e";

    private static final Map<String, String> HUB_ENV = Map.of(
            "PATH",
            "/usr/bin:/bin",
            "OPENAI_API_KEY",
            "provider-key",
            "TANDEM_TOKEN",
            TOKEN,
            StoreSettings.PASSWORD_ENV,
            PASSWORD,
            "PGPASSWORD",
            PASSWORD,
            "DATABASE_URL",
            "postgresql://tandem:" + PASSWORD + "@db/tandem");

    @Test
    void aJobNeverGetsTheStorePasswordNorACopyOfIt() {
        Map<String, String> env = JobEnvironment.of(HUB_ENV, TOKEN, false, "j1");

        assertFalse(env.containsKey(StoreSettings.PASSWORD_ENV), env.toString());
        assertFalse(env.toString().contains(PASSWORD), env.toString());
        assertFalse(env.toString().contains(TOKEN), env.toString());
        assertEquals("provider-key", env.get("OPENAI_API_KEY"));
        assertEquals("/usr/bin:/bin", env.get("PATH"));
        assertEquals("j1", env.get(JobEnvironment.JOB_ID));
    }

    @Test
    void passingTheTokenStillLeavesTheStorePasswordOut() {
        Map<String, String> env = JobEnvironment.of(HUB_ENV, TOKEN, true, "j1");

        assertEquals(TOKEN, env.get("TANDEM_TOKEN"));
        assertFalse(env.toString().contains(PASSWORD), env.toString());
    }
}
