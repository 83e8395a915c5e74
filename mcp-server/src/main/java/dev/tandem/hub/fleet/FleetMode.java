package dev.tandem.hub.fleet;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.StoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a hub serves: as a fleet hub or not ({@code tandem serve --fleet}, {@code [fleet] enabled}), with TLS or not
 * ({@code [tls]}), checked before anything is bound: the fleet needs a PostgreSQL store, and any address that is
 * not loopback needs TLS.
 *
 * @param fleet whether enrolled hosts' keys are accepted and the kill switch is honoured
 * @param tls the TLS the hub serves with, when {@code [tls]} sets it
 */
public record FleetMode(boolean fleet, Optional<HubTls> tls) {
    /** A hub that is no fleet hub and serves plain HTTP (tests, and the workstation default). */
    public static final FleetMode NONE = new FleetMode(false, Optional.empty());

    /**
     * Returns the mode {@code config} and the {@code --fleet} flag ask for, refusing what cannot be served safely.
     *
     * @throws ConfigException naming the key or flag to fix
     */
    public static FleetMode from(HubConfig config, boolean fleetFlag) {
        boolean fleet = fleetFlag || config.reader("fleet").bool("enabled", false);
        if (fleet && StoreSettings.from(config).postgres().isEmpty()) {
            throw new ConfigException((fleetFlag ? "--fleet" : "[fleet] enabled")
                    + " needs a PostgreSQL store: the fleet's hosts, keys and freeze switch live in the database every"
                    + " hub shares, and the SQLite store is one machine's; set [store] url = \"postgresql://…\""
                    + " (docs/store.md, docs/fleet.md)");
        }
        Optional<HubTls> tls = HubTls.from(config);
        if (!isLoopback(config.host())) {
            if (!config.allowRemote() && !fleet) {
                throw new ConfigException("refusing to bind " + config.host()
                        + ": it is not a loopback address; pass --allow-remote (or [hub] allow_remote = true) "
                        + "if the hub really must be reachable from other machines");
            }
            if (tls.isEmpty()) {
                List<String> missing = new ArrayList<>();
                missing.add("[tls] cert");
                missing.add("[tls] key");
                throw new ConfigException("refusing to bind " + config.host() + " without TLS: it is not a loopback"
                        + " address, so tokens and host keys would cross the network in clear text; set "
                        + String.join(" and ", missing) + " (PEM files, the key owner-only) in hub.toml"
                        + " (docs/fleet.md)");
            }
        }
        return new FleetMode(fleet, tls);
    }

    /**
     * Returns whether {@code host} is written as a loopback name or address ({@code localhost}, {@code 127.x.y.z},
     * {@code ::1}), without asking any resolver: a URL's host is judged as written.
     */
    public static boolean isLoopbackLiteral(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT).replace("[", "").replace("]", "");
        return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** Returns whether {@code host} names a loopback address. */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("--host " + host + ": unknown host", e);
        }
    }
}
