package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.GitSettings;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.AbstractCommandSupport;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push over ssh to an Apache MINA sshd server on loopback whose {@code git-receive-pack} is JGit's: the hub
 * authenticates with the key in {@code ~/.ssh} and checks the server against {@code ~/.ssh/known_hosts}.
 */
class GitSshPushTest {
    @TempDir
    Path dir;

    private SshServer server;
    private Path bare;
    private Path home;
    private String hostKeyLine;
    private RevCommit commit;

    @BeforeEach
    void setUp() throws Exception {
        KeyPair client = ecKey();
        KeyPair host = ecKey();
        bare = dir.resolve("remote.git");
        Git.init()
                .setBare(true)
                .setDirectory(bare.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(host));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client.getPublic()));
        server.setCommandFactory((channel, command) -> new ReceivePackCommand(command, bare));
        server.start();
        hostKeyLine = "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(host.getPublic());

        home = Files.createDirectories(dir.resolve("home"));
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        try (OutputStream out = Files.newOutputStream(ssh.resolve("id_ecdsa"))) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
                    client, "tandem-test", (OpenSSHKeyEncryptionContext) null, out);
        }
        Path root = Files.createDirectories(dir.resolve("root"));
        try (Git git = Git.init()
                .setDirectory(root.resolve("proj").toFile())
                .setInitialBranch("main")
                .call()) {
            Files.writeString(root.resolve("proj/a.txt"), "a\n");
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("first").setAuthor("A", "a@x").call();
            String url = "ssh://git@" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort()
                    + "/remote.git";
            git.remoteAdd().setName("origin").setUri(new URIish(url)).call();
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        server.stop(true);
    }

    private McpSchema.CallToolResult push() {
        GitService git = new GitService(List.of(dir.resolve("root")), GitSettings.defaults(home));
        try (TestHub hub = TestHub.start(dir, List.of(new GitCapability(git)))) {
            return hub.client("claude-code")
                    .callTool(McpSchema.CallToolRequest.builder("git_push")
                            .arguments(Map.of("dir", "proj"))
                            .build());
        }
    }

    @Test
    void pushesOverSshWithTheKeyAndKnownHostsInDotSsh() throws Exception {
        Files.writeString(home.resolve(".ssh/known_hosts"), hostKeyLine + "\n");
        McpSchema.CallToolResult r = push();
        assertFalse(Boolean.TRUE.equals(r.isError()), () -> r.content().toString());
        try (Repository remote = Git.open(bare.toFile()).getRepository()) {
            assertEquals(commit.getId(), remote.resolve("refs/heads/main"));
        }
    }

    @Test
    void refusesAServerThatIsNotInKnownHosts() throws Exception {
        Files.writeString(home.resolve(".ssh/known_hosts"), "");
        McpSchema.CallToolResult r = push();
        assertTrue(r.isError(), () -> r.content().toString());
        String text = ((McpSchema.TextContent) r.content().get(0)).text();
        assertTrue(text.contains("Server key did not validate"), text);
        try (Repository remote = Git.open(bare.toFile()).getRepository()) {
            assertEquals(null, remote.resolve("refs/heads/main"));
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** Runs JGit's receive-pack for {@code git-receive-pack '/remote.git'} against the one bare repository. */
    private static final class ReceivePackCommand extends AbstractCommandSupport {
        private final Path bare;

        ReceivePackCommand(String command, Path bare) {
            super(command, null);
            this.bare = bare;
        }

        @Override
        public void run() {
            if (!getCommand().startsWith("git-receive-pack")) {
                onExit(1, "only git-receive-pack is served");
                return;
            }
            try (Repository repo = Git.open(bare.toFile()).getRepository()) {
                new ReceivePack(repo).receive(getInputStream(), getOutputStream(), getErrorStream());
                onExit(0);
            } catch (IOException e) {
                onExit(1, e.getMessage());
            }
        }
    }
}
