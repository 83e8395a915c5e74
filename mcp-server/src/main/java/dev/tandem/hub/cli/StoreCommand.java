package dev.tandem.hub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem store}: the store's backend ({@code migrate}). */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description = "Move the store between backends (docs/store.md).",
        footerHeading = "%nExample:%n",
        footer = "  TANDEM_STORE_PASSWORD=… tandem store migrate --to postgresql://db.lan:5432/tandem?user=tandem",
        subcommands = {StoreMigrateCommand.class})
public final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
