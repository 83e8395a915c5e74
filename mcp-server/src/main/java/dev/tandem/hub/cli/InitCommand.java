package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigEdit;
import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.OwnerOnly;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem init}: makes the person's own content folder outside the checkout (portfolio, shared memory, skills,
 * commands, the clients' fragments), seeded from the shipped examples, and records the folders the fs and git tools
 * may use. The example persona is copied aside, never into the served portfolio.
 */
@Command(
        name = "init",
        description = "Create your own content folder (~/.tandem/source) and choose the folders the hub may serve.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tandem init --root ~/code --root ~/notes      # the fs and git tools may use these",
            "  tandem init --source ~/tandem-source --git    # elsewhere, as a git repository"
        })
public final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--source",
            paramLabel = "DIR",
            description = "Where your content lives (default: ~/.tandem/source).")
    Path source;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "A folder the fs and git tools may use (repeatable); none: the hub serves no files.")
    List<Path> roots = new ArrayList<>();

    @Option(
            names = "--ask",
            description = "Ask for the roots on standard input even when it is not a terminal (without --root, init"
                    + " asks when run in a terminal and no roots are configured).")
    boolean ask;

    private InputStream in = System.in;

    @Option(names = "--git", description = "Make the content folder a git repository.")
    boolean git;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(
            names = "--repo",
            paramLabel = "DIR",
            description = "The checkout whose examples seed the folder (default: the one holding bin/tandem).")
    Path repo;

    /** Takes the answers to the roots question from {@code answers} instead of standard input. */
    public void answersFrom(InputStream answers) {
        this.in = answers;
    }

    @Override
    public Integer call() throws IOException {
        if (config != null && !Files.exists(config)) {
            OwnerOnly.dir(config.toAbsolutePath().getParent());
            OwnerOnly.createFile(config.toAbsolutePath());
        }
        HubConfigLoader loader = Environment.loader();
        HubConfig cfg = loader.load(Optional.ofNullable(config), HubFlags.none());
        PrintWriter out = spec.commandLine().getOut();
        Path file = cfg.file();
        Path dir = source == null ? cfg.sourceDir() : source.toAbsolutePath().normalize();
        Path checkout = Optional.ofNullable(repo)
                .orElseGet(() -> Path.of(System.getProperty("tandem.repo", ".")))
                .toAbsolutePath()
                .normalize();
        if (Files.exists(dir)) {
            out.println("tandem: " + dir + " exists; nothing copied into it");
        } else {
            seed(checkout, dir);
            out.println("tandem: made " + dir + " (portfolio/, shared/, codex/, claude/, examples/)");
        }
        if (source != null && ConfigEdit.set(file, "source", "dir", toml(dir.toString()))) {
            out.println("tandem: [source] dir = " + toml(dir.toString()) + " in " + file);
        }
        if (git && !Files.isDirectory(dir.resolve(".git"))) {
            try (Git g = Git.init().setDirectory(dir.toFile()).call()) {
                out.println("tandem: " + g.getRepository().getWorkTree() + " is a git repository");
            } catch (GitAPIException e) {
                throw new ConfigException(dir + ": cannot make a git repository: " + e.getMessage(), e);
            }
        }
        List<Path> chosen = roots;
        if (chosen.isEmpty() && cfg.roots().isEmpty() && (ask || Boolean.getBoolean("tandem.stdin.terminal"))) {
            chosen = askRoots(out, cfg.home());
        }
        if (!chosen.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Path r : chosen) {
                Path abs = r.toAbsolutePath().normalize();
                if (!Files.isDirectory(abs)) {
                    throw new ConfigException("--root " + r + ": not a folder");
                }
                items.add(toml(abs.toString()));
            }
            ConfigEdit.set(file, "fs", "roots", "[" + String.join(", ", items) + "]");
            out.println("tandem: [fs] roots = [" + String.join(", ", items) + "] in " + file);
        } else if (cfg.roots().isEmpty()) {
            out.println("tandem: no roots: the fs and git tools serve no files until you run"
                    + " 'tandem init --root DIR' or set [fs] roots in " + file);
        }
        out.println("tandem: next: 'tandem serve', then 'tandem sync push-runtime'");
        return 0;
    }

    /**
     * Asks for the roots, one folder per line until an empty line (or the end of the input); {@code ~/} is the home.
     * A line that is not a folder is refused with the reason and asked again.
     */
    private List<Path> askRoots(PrintWriter out, Path home) throws IOException {
        out.println("Which folders may the fs and git tools use? One per line (e.g. ~/code), an empty line to finish;"
                + " none: the hub serves no files.");
        List<Path> chosen = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        while (true) {
            out.print("root> ");
            out.flush();
            String line = reader.readLine();
            if (line == null || line.isBlank()) {
                return chosen;
            }
            String given = line.strip();
            Path folder;
            try {
                folder = given.equals("~")
                        ? home
                        : given.startsWith("~/") ? home.resolve(given.substring(2)) : Path.of(given);
            } catch (InvalidPathException e) {
                out.println("  " + given + ": not a path");
                continue;
            }
            if (!folder.isAbsolute()) {
                out.println("  " + given + ": give an absolute path or one starting with ~/");
            } else if (!Files.isDirectory(folder)) {
                out.println("  " + given + ": not a folder");
            } else {
                chosen.add(folder);
            }
        }
    }

    /**
     * Copies the shipped {@code clients/} (fragments, shared memory, skills, commands) into {@code dir}, starts an
     * empty portfolio with a template, and puts the example persona under {@code examples/}, where nothing serves it.
     */
    static void seed(Path repo, Path dir) {
        OwnerOnly.dir(dir.getParent());
        try {
            Files.createDirectories(dir);
            copyTree(repo.resolve("clients"), dir);
            copyTree(repo.resolve("context-portfolio"), dir.resolve("examples").resolve("portfolio"));
            Path portfolio = Files.createDirectories(dir.resolve("portfolio"));
            Files.writeString(
                    portfolio.resolve("identity.md"),
                    "# Who I am\n\nWrite here what both agents should know about you: your role, how you like to"
                            + " work.\nExamples of a whole portfolio are in ../examples/portfolio.\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create: " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String toml(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
