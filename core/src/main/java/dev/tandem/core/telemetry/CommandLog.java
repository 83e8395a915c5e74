package dev.tandem.core.telemetry;

import dev.tandem.core.memory.Owner;
import java.util.List;
import java.util.Optional;

/** The record of skill and command uses that the agents report ({@code log_command}). */
public interface CommandLog {
    /** Records that {@code owner}'s agent ({@code client}) used the skill or command {@code slug}. */
    CommandUse record(Owner owner, String client, String slug);

    /** Returns how often each engine used each skill or command, most used first. */
    default List<CommandStats> stats() {
        return stats(Optional.empty());
    }

    /** Returns how often each engine on {@code host} (every host when empty) used each skill or command. */
    List<CommandStats> stats(Optional<String> host);
}
