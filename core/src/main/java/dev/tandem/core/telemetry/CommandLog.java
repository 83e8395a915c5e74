package dev.tandem.core.telemetry;

import dev.tandem.core.memory.Owner;
import java.util.List;

/** The record of skill and command uses that the agents report ({@code log_command}). */
public interface CommandLog {
    /** Records that {@code owner}'s agent ({@code client}) used the skill or command {@code slug}. */
    CommandUse record(Owner owner, String client, String slug);

    /** Returns how often each engine used each skill or command, most used first. */
    List<CommandStats> stats();
}
