package dev.tandem.hub.git;

import dev.tandem.core.fs.FileTooLargeException;
import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.fs.RegularFiles;
import dev.tandem.hub.fs.GitIgnores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

/**
 * {@code .gitattributes} rules as the git tools read them, wherever JGit would take them from: the work tree, the
 * index, a commit's tree, {@code info/attributes} and {@code core.attributesFile}.
 *
 * <p>JGit matches a pattern with wildcards through a backtracking regular expression that ignores interrupts; a
 * pattern with more than {@value GitIgnores#MAX_STARS} {@code *} runs in one segment (or more than that many {@code
 * **} segments) can keep it busy for hours on one long file name ({@link GitIgnores#bounded(String)}). Such a rule
 * is not dropped, which would change what a commit stores (filters, line endings): the call is refused, naming the
 * file and the line. So is an attributes file over {@value #MAX_BYTES} bytes.
 */
final class AttributeRules {
    static final long MAX_BYTES = 1 << 20;

    private AttributeRules() {}

    /**
     * Reads and checks the attributes file {@code file}; empty when it does not exist or is not a regular file (git
     * reads no attributes from it then).
     *
     * @param shown how messages name the file
     */
    static Optional<AttributesNode> file(Path file, String shown) {
        byte[] bytes;
        try {
            bytes = RegularFiles.read(file, Optional.empty(), MAX_BYTES);
        } catch (NoSuchFileException | NotRegularFileException e) {
            return Optional.empty();
        } catch (FileTooLargeException e) {
            throw tooLarge(shown);
        } catch (FileSystemException e) {
            return Optional.empty(); // a link, or unreadable: git reads no attributes from it either
        } catch (IOException e) {
            throw new GitException(shown + " cannot be read: " + e.getMessage(), e);
        }
        return Optional.of(parse(bytes, shown));
    }

    /** Parses {@code bytes}, refusing a rule whose matching could take unbounded time; see the class comment. */
    static AttributesNode parse(byte[] bytes, String shown) {
        List<AttributesRule> rules = new ArrayList<>();
        int n = 0;
        for (String line : (Iterable<String>) new String(bytes, StandardCharsets.UTF_8).lines()::iterator) {
            n++;
            AttributesNode one = new AttributesNode();
            try {
                one.parse(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new GitException(shown + " line " + n + " cannot be read", e);
            }
            for (AttributesRule r : one.getRules()) {
                if (!GitIgnores.bounded(r.getPattern())) {
                    throw new GitException(shown + " line " + n + ": its pattern has more than "
                            + GitIgnores.MAX_STARS + " '*' runs in one part (or more than " + GitIgnores.MAX_STARS
                            + " '**' parts), which the git tools cannot match in bounded time; simplify the pattern"
                            + " or use git itself in this repository");
                }
                rules.add(r);
            }
        }
        return new AttributesNode(rules);
    }

    /** Checks every {@code .gitattributes} the index of {@code repo} holds. */
    static void checkIndex(Repository repo, ObjectReader reader, Set<ObjectId> checked) throws IOException {
        DirCache dc = repo.readDirCache();
        for (int i = 0; i < dc.getEntryCount(); i++) {
            DirCacheEntry e = dc.getEntry(i);
            String path = e.getPathString();
            if (isAttributesFile(path) && (e.getRawMode() & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                checkBlob(reader, e.getObjectId(), "'" + path + "' in the index", checked);
            }
        }
    }

    /** Checks every {@code .gitattributes} in {@code tree}. */
    static void checkTree(ObjectReader reader, AnyObjectId tree, String rev, Set<ObjectId> checked) throws IOException {
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            walk.setFilter(PathSuffixFilter.create(Constants.DOT_GIT_ATTRIBUTES));
            while (walk.next()) {
                String path = walk.getPathString();
                if (isAttributesFile(path) && (walk.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                    checkBlob(reader, walk.getObjectId(0), "'" + path + "' in " + rev, checked);
                }
            }
        }
    }

    /** Checks the {@code .gitattributes} of the index and of HEAD's tree, each blob once. */
    static void checkIndexAndHead(Repository repo) throws IOException {
        Set<ObjectId> checked = new HashSet<>();
        try (ObjectReader reader = repo.newObjectReader()) {
            checkIndex(repo, reader, checked);
            ObjectId head = repo.resolve(Constants.HEAD + "^{tree}");
            if (head != null) {
                checkTree(reader, head, Constants.HEAD, checked);
            }
        }
    }

    private static boolean isAttributesFile(String path) {
        return path.equals(Constants.DOT_GIT_ATTRIBUTES) || path.endsWith("/" + Constants.DOT_GIT_ATTRIBUTES);
    }

    private static void checkBlob(ObjectReader reader, ObjectId id, String shown, Set<ObjectId> checked)
            throws IOException {
        if (!checked.add(id.copy())) {
            return;
        }
        ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
        if (loader.getSize() > MAX_BYTES) {
            throw tooLarge(shown);
        }
        parse(loader.getCachedBytes(), shown);
    }

    private static GitException tooLarge(String shown) {
        return new GitException(shown + " is larger than " + MAX_BYTES + " bytes; the git tools read no attributes"
                + " file that large, use git itself in this repository");
    }
}
