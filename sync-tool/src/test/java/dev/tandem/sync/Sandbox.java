package dev.tandem.sync;

import dev.tandem.core.hash.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import picocli.CommandLine;

/** A home and a repo (with a copy of the shipped clients/ folder) in a temp dir, and a way to run the CLI there. */
final class Sandbox {
    final Path home;
    final Path repo;
    final Map<String, String> env = new HashMap<>();

    Sandbox(Path dir) {
        this.home = dir.resolve("home");
        this.repo = dir.resolve("repo");
        try {
            Files.createDirectories(home);
            copyTree(Path.of("..", "clients").toAbsolutePath().normalize(), repo.resolve("clients"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exit, String out, String err) {}

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("sync"));
        all.add(args[0]);
        if (!List.of(args).contains("--home")) {
            all.addAll(List.of("--home", home.toString()));
        }
        all.addAll(List.of("--repo", repo.toString()));
        all.addAll(List.of(args).subList(1, args.length));
        return execute(all);
    }

    /** Runs {@code tandem agents render} in this sandbox with extra arguments. */
    Result render(String... args) {
        List<String> all = new ArrayList<>(List.of("agents", "render", "--home", home.toString()));
        all.addAll(List.of("--repo", repo.toString()));
        all.addAll(List.of(args));
        return execute(all);
    }

    private Result execute(List<String> all) {
        CommandLine cl = SyncMain.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code file} a symlink to {@code target} in place of whatever was there, as an agent could, and returns it. */
    Path link(Path file, Path target) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            return Files.createSymbolicLink(file, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the first 32 hex digits of the SHA-256 of {@code text}'s UTF-8 bytes, as {@code --accept FILE@SHA} takes. */
    static String sha32(String text) {
        return Sha256.hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** A sandbox whose repo is committed but never pushed: the home has no manifest yet. */
    static Sandbox committed(Path dir) {
        Sandbox s = new Sandbox(dir);
        s.commitRepo();
        return s;
    }

    /** A sandbox whose repo is committed and pushed once (push-runtime exited 0), as a person's would be. */
    static Sandbox pushed(Path dir) {
        return pushed(dir, s -> {});
    }

    /** As {@link #pushed(Path)}, with {@code sources} changing the repo's clients/ first (before the commit). */
    static Sandbox pushed(Path dir, Consumer<Sandbox> sources) {
        Sandbox s = new Sandbox(dir);
        sources.accept(s);
        s.commitRepo();
        int exit = s.run("push-runtime").exit();
        if (exit != 0) {
            throw new AssertionError("push-runtime exited " + exit);
        }
        return s;
    }

    /** Makes the repo a git repository with everything in it committed. */
    void commitRepo() {
        try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("clients")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    Path codex(String rel) {
        return home.resolve(".codex").resolve(rel);
    }

    Path claude(String rel) {
        return home.resolve(".claude").resolve(rel);
    }

    /**
     * Returns every file under the home (except Tandem's backups and the engines' credentials, which push makes
     * and clean-runtime leaves: they are Tandem's own, like the person's token) with its content.
     */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = home.relativize(p).toString();
                if (!rel.startsWith(".tandem/backups/") && !rel.startsWith(".tandem/tokens/")) {
                    out.put(rel, Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Returns every file under the repo's clients/ with its content. */
    Map<String, String> clientsSnapshot() {
        Path clients = repo.resolve("clients");
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(clients)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(clients.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
