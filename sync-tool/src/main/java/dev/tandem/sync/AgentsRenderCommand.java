package dev.tandem.sync;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.Engine;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agents render}: prints the agent document push-runtime would write for one engine; writes nothing. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = "Print the AGENTS.md (codex) or CLAUDE.md (claude) that push-runtime would write.",
        footerHeading = "%nExample:%n",
        footer = "  diff <(tandem agents render) ~/.codex/AGENTS.md")
final class AgentsRenderCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--engine",
            paramLabel = "codex|claude",
            description = "Whose document (default: ${DEFAULT-VALUE}).",
            defaultValue = "codex",
            converter = CommonOptions.EngineConverter.class)
    Engine engine = Engine.CODEX;

    @Option(names = "--home", paramLabel = "DIR", description = "Use DIR instead of $HOME for every target path.")
    Path home;

    @Option(
            names = "--repo",
            paramLabel = "DIR",
            description = "The checkout whose clients/ folder is the source (default: the one holding bin/tandem).")
    Path repo;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The hub's configuration (default: ~/.tandem/hub.toml under the home).")
    Path config;

    AgentsRenderCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        if (engine == Engine.ALL) {
            spec.commandLine().getErr().println("tandem: --engine must be codex or claude");
            return 2;
        }
        CommonOptions options = new CommonOptions();
        options.engine = engine;
        options.home = home;
        options.repo = repo;
        options.config = config;
        Settings settings = options.settings(env);
        RuntimeModel.Build build = CommonOptions.pushBuild(settings);
        CommonOptions.printNotices(build, spec);
        Path file = engine == Engine.CODEX
                ? settings.codexHome().resolve("AGENTS.md")
                : settings.claudeDir().resolve("CLAUDE.md");
        Target target = build.target(file).orElseThrow();
        Optional<byte[]> doc = target.render(Contents.read(file));
        spec.commandLine().getOut().print(Contents.text(doc).orElse(""));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
