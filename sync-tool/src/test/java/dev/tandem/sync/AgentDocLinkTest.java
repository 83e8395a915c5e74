package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code AGENTS.md} and {@code CLAUDE.md} may be symlinks into a dotfiles checkout, so push writes their managed
 * section through a link. One that became a link (or points elsewhere) since push first wrote the section is
 * refused until the person accepts it with {@code --force FILE}: an agent could otherwise aim the section, which
 * carries text an agent can influence, at {@code ~/.bashrc}.
 */
class AgentDocLinkTest {
    private static final String BASHRC = "export PATH=/usr/bin\n";

    @TempDir
    Path dir;

    @Test
    void anAgentsMdThatBecameALinkIsRefusedUntilForced() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Path agents = s.codex("AGENTS.md");
        assertTrue(s.read(agents).contains("tandem"), "the first push wrote the section");
        s.link(agents, bashrc);

        Sandbox.Result r = s.run("push-runtime");

        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(agents + ": has become a symlink (to " + bashrc + ")"), r.toString());
        assertTrue(r.err().contains("tandem sync push-runtime --force " + agents), r.toString());
        assertEquals(BASHRC, s.read(bashrc));
        assertEquals(2, s.run("check-sync").exit(), "check-sync names it too");

        Sandbox.Result forced = s.run("push-runtime", "--force", agents.toString());
        assertEquals(0, forced.exit(), forced.toString());
        assertTrue(Files.isSymbolicLink(agents));
        assertTrue(s.read(bashrc).startsWith(BASHRC) && s.read(bashrc).contains("tandem"), "accepted: written");
        Sandbox.Result again = s.run("push-runtime");
        assertEquals(0, again.exit(), "the accepted link is the one recorded now: " + again);
    }

    @Test
    void aClaudeMdThatBecameALinkIsRefusedAndCleanRuntimeDoesNotWriteThroughItEither() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Path claude = s.link(s.claude("CLAUDE.md"), bashrc);

        Sandbox.Result push = s.run("push-runtime");
        Sandbox.Result clean = s.run("clean-runtime");

        assertEquals(2, push.exit(), push.toString());
        assertTrue(push.err().contains(claude + ": has become a symlink"), push.toString());
        assertEquals(2, clean.exit(), clean.toString());
        assertEquals(BASHRC, s.read(bashrc));
    }

    @Test
    void aDocumentLinkedFromTheStartKeepsWorkingAndALinkMovedElsewhereIsRefused() throws Exception {
        Sandbox s = Sandbox.committed(dir);
        Path dotfiles = s.write(dir.resolve("dotfiles/AGENTS.md"), "# Mine\n");
        Path agents = s.link(s.codex("AGENTS.md"), dotfiles);

        assertEquals(0, s.run("push-runtime").exit());
        s.write(
                s.repo.resolve("clients/shared/skills/recall/SKILL.md"),
                s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md")) + "\nMore.\n");
        Sandbox.Result second = s.run("push-runtime");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(Files.isSymbolicLink(agents));
        assertTrue(s.read(dotfiles).startsWith("# Mine\n") && s.read(dotfiles).contains("tandem"));

        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        s.link(agents, bashrc);
        Sandbox.Result moved = s.run("push-runtime");

        assertEquals(2, moved.exit(), moved.toString());
        assertTrue(
                moved.err().contains(agents + ": is a symlink to " + bashrc + " now, not to " + dotfiles),
                moved.toString());
        assertEquals(BASHRC, s.read(bashrc));
    }

    @Test
    void cleanRuntimeRemoveDoesNotTakeTheSectionOutThroughALinkThatReplacedTheDocument() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path agents = s.codex("AGENTS.md");
        String withSection = s.read(agents);
        Path elsewhere = s.write(s.home.resolve("notes/AGENTS.md"), withSection);
        s.link(agents, elsewhere);

        Sandbox.Result clean = s.run("clean-runtime", "--remove");

        assertEquals(2, clean.exit(), clean.toString());
        assertTrue(clean.err().contains(agents + ": has become a symlink (to " + elsewhere + ")"), clean.toString());
        assertTrue(clean.err().contains("tandem sync push-runtime --force " + agents), clean.toString());
        assertEquals(withSection, s.read(elsewhere), "nothing was removed through the link");
    }

    @Test
    void theFirstPushAfterAnOlderManifestNamesTheLinkItRecords() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path agents = s.codex("AGENTS.md");
        Path dotfiles = s.write(dir.resolve("dotfiles/AGENTS.md"), s.read(agents));
        s.link(agents, dotfiles);
        Path manifest = asAnOlderTandemWroteIt(s);

        Sandbox.Result r = s.run("push-runtime");

        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.err()
                        .contains("tandem: " + agents + " is a symlink to " + dotfiles
                                + ", which the manifest does not record yet"),
                r.toString());
        assertTrue(s.read(manifest).contains(dotfiles.toString()), "the link is recorded");
        Sandbox.Result again = s.run("push-runtime");
        assertFalse(again.err().contains("does not record yet"), "said once: " + again);
    }

    @Test
    void forceIsAcceptedForAnAgentDocumentOfAnOlderManifest() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path agents = s.codex("AGENTS.md");
        asAnOlderTandemWroteIt(s);

        Sandbox.Result r = s.run("push-runtime", "--force", agents.toString());

        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void aFirstPushRefusesALinkToAFileThatIsNoAgentDocumentUntilForced() throws Exception {
        Sandbox s = Sandbox.committed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Path agents = s.link(s.codex("AGENTS.md"), bashrc);

        Sandbox.Result r = s.run("push-runtime");

        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(agents + ": is a symlink to " + bashrc + ", a file not named AGENTS.md"), r.err());
        assertTrue(r.err().contains("tandem sync push-runtime --force " + agents), r.err());
        assertEquals(BASHRC, s.read(bashrc));

        Sandbox.Result forced = s.run("push-runtime", "--force", agents.toString());
        assertEquals(0, forced.exit(), forced.toString());
        assertTrue(s.read(bashrc).startsWith(BASHRC) && s.read(bashrc).contains("tandem"), "accepted: written");
        assertEquals(0, s.run("push-runtime").exit(), "the accepted link is recorded");
    }

    @Test
    void theFirstPushAfterAnOlderManifestRefusesALinkToAFileThatIsNoAgentDocument() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Path claude = s.link(s.claude("CLAUDE.md"), bashrc);
        asAnOlderTandemWroteIt(s);

        Sandbox.Result r = s.run("push-runtime");

        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(claude + ": is a symlink to " + bashrc), r.err());
        assertEquals(BASHRC, s.read(bashrc));
    }

    @Test
    void aFirstPushTakesALinkToAClaudeMdOfADotfilesCheckout() throws Exception {
        Sandbox s = Sandbox.committed(dir);
        Path dotfiles = s.write(dir.resolve("dotfiles/CLAUDE.md"), "# Mine\n");
        s.link(s.codex("AGENTS.md"), dotfiles);

        Sandbox.Result r = s.run("push-runtime");

        assertEquals(0, r.exit(), r.toString());
        assertTrue(s.read(dotfiles).startsWith("# Mine\n") && s.read(dotfiles).contains("tandem"));
    }

    /** Rewrites the home's manifest as a Tandem from before links were recorded wrote it, and returns its path. */
    private static Path asAnOlderTandemWroteIt(Sandbox s) {
        Path manifest = s.home.resolve(".tandem/manifest.json");
        String old = s.read(manifest).replaceAll(",\\s*\"link\"\\s*:\\s*\"[^\"]*\"", "");
        assertFalse(old.contains("\"link\""), old);
        s.write(manifest, old);
        return manifest;
    }
}
