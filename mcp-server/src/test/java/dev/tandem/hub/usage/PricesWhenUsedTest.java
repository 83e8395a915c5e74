package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped price table is parsed on its first use when hub.toml sets no prices, not when settings are read. */
class PricesWhenUsedTest {
    @TempDir
    Path dir;

    private UsageSettings settings(String toml) throws IOException {
        Path config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n" + toml);
        HubConfig c =
                new HubConfigLoader(dir.resolve("home"), dir, dir, Map.of()).load(Optional.of(config), HubFlags.none());
        return UsageSettings.from(c);
    }

    @Test
    void withoutPriceSettingsTheShippedTableIsParsedOnFirstUseAndPricesAsTheShippedOne() throws IOException {
        Prices prices = settings("").prices();
        assertFalse(prices.parsed(), "reading the settings must not parse the shipped table");

        Prices shipped = Prices.shipped();
        String model = shipped.all().keySet().iterator().next();
        assertEquals(shipped.of(model), prices.of(model));
        assertTrue(prices.parsed());
        assertEquals(shipped.asOf(), prices.asOf());
        assertEquals(shipped.all(), prices.all());
        assertEquals(shipped, prices);
        assertEquals(prices, shipped);
        assertEquals(shipped.hashCode(), prices.hashCode());
        assertTrue(prices.overridden().isEmpty());
    }

    @Test
    void aMistakeInPriceSettingsIsStillReportedWhenTheSettingsAreRead() {
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> settings("[usage.prices.\"my-model\"]\ninput = 1.0\n"));
        assertTrue(e.getMessage().contains("output"), e.getMessage());
        assertTrue(e.getMessage().contains("hub.toml"), e.getMessage());
    }

    @Test
    void priceSettingsLaidOverTheShippedTableAreParsedWhenRead() throws IOException {
        Prices prices = settings("[usage.prices.\"my-model\"]\ninput = 1.0\noutput = 2.0\n")
                .prices();
        assertTrue(prices.parsed());
        assertEquals(2.0, prices.of("my-model").orElseThrow().rates().output());
        assertTrue(prices.overridden().contains("my-model"));
    }
}
