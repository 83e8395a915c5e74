package dev.tandem.hub.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;

/** A credential's URL prefix is matched on the parsed origin and whole path segments, never as a string prefix. */
class HttpsCredentialTest {
    private static HttpsCredential credential(String prefix) {
        return new HttpsCredential(prefix, "bot", Optional.of("t"), Optional.empty());
    }

    private static boolean matches(String prefix, String url) throws Exception {
        return credential(prefix).matches(new URIish(url));
    }

    @ParameterizedTest
    @CsvSource({
        "https://github.com, https://github.com/acme/app.git",
        "https://github.com, https://GitHub.COM/acme/app.git",
        "https://github.com, https://github.com:443/acme/app.git",
        "https://github.com, https://x-access-token@github.com/acme/app.git",
        "https://github.com/, https://github.com/acme/app.git",
        "https://github.com/acme, https://github.com/acme/app.git",
        "https://github.com/acme/, https://github.com/acme/app.git",
        "https://github.com/acme, https://github.com/acme",
        "http://127.0.0.1:8080, http://127.0.0.1:8080/acme/app.git",
        "http://example.org, http://example.org:80/app.git",
    })
    void matchesItsOwnOriginAndPathPrefix(String prefix, String url) throws Exception {
        assertTrue(matches(prefix, url), prefix + " should match " + url);
    }

    @ParameterizedTest
    @CsvSource({
        "https://github.com, https://github.com.evil.tld/acme/app.git",
        "https://github.com, https://github.com@evil.tld/acme/app.git",
        "https://github.com, https://github.com:8443/acme/app.git",
        "https://github.com, http://github.com/acme/app.git",
        "https://github.com, https://evil.tld/github.com/acme/app.git",
        "https://github.com, https://gitHub.co/acme/app.git",
        "https://github.com, ssh://github.com/acme/app.git",
        "https://github.com/acme, https://github.com/acme-evil/app.git",
        "https://github.com/acme, https://github.com/acmeapp.git",
        "https://github.com/acme, https://github.com/other/acme/app.git",
        "http://127.0.0.1, http://127.0.0.1:8080/acme/app.git",
        "http://127.0.0.1:8080, http://127.0.0.1/acme/app.git",
    })
    void doesNotMatchAnotherOriginOrAPathThatOnlySharesAStringPrefix(String prefix, String url) throws Exception {
        assertFalse(matches(prefix, url), prefix + " must not match " + url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://user:pw@github.com",
                "https://github.com/?x=1",
                "https://github.com/#frag",
                "ftp://github.com",
                "https://",
                "https:///path",
                "https://git hub.com"
            })
    void aPrefixThatIsNotAPlainHttpUrlIsAConfigurationError(String prefix) {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> GitSettings.from(
                        Section.of(
                                Path.of("hub.toml"),
                                "git",
                                Toml.parse("[git.credentials.\"" + prefix + "\"]\ntoken = \"t\"\n")
                                        .getTable("git"),
                                Path.of("home")),
                        Path.of("home")));
        assertTrue(e.getMessage().startsWith("hub.toml:"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "https://github.com/acme/app.git, https://github.com/acme/",
        "https://github.com/other/app.git, https://github.com",
    })
    void theLongestMatchingPathPrefixWins(String url, String expected) throws Exception {
        HubCredentialsProvider provider = new HubCredentialsProvider(List.of(
                credential("https://github.com"),
                credential("https://github.com/acme/"),
                credential("https://gitlab.com")));
        assertEquals(expected, provider.find(new URIish(url)).orElseThrow().urlPrefix());
    }
}
