package dev.tandem.hub.git;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Finds new content for denied paths ({@link DeniedPaths}) about to be committed or pushed: a path whose file, in
 * the index or in a commit, exists and differs from every side it is compared with. Removing a file records no
 * content and is never reported. Only trees are read, never a file's content.
 */
final class SecretContent {
    private SecretContent() {}

    /** Returns the denied paths whose index entry is new or changed against HEAD, sorted. */
    static List<String> staged(Repository repo, DeniedPaths denied) throws IOException {
        Set<String> found = new TreeSet<>();
        try (RevWalk rw = new RevWalk(repo);
                TreeWalk walk = new TreeWalk(repo, rw.getObjectReader())) {
            walk.addTree(new DirCacheIterator(repo.readDirCache()));
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                walk.addTree(rw.parseCommit(head).getTree());
            }
            collect(walk, denied, found);
        }
        return List.copyOf(found);
    }

    /**
     * Returns the denied paths that some commit reachable from {@code tip}, and from no remote-tracking branch of
     * {@code remote}, records new content for (against each of its parents), sorted.
     *
     * <p>The remote-tracking branches stand for what the remote already has; when there are none, the whole history
     * is checked.
     */
    static List<String> toSend(Repository repo, ObjectId tip, String remote, DeniedPaths denied) throws IOException {
        Set<String> found = new TreeSet<>();
        try (RevWalk rw = new RevWalk(repo)) {
            rw.markStart(rw.parseCommit(tip));
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES + remote + "/")) {
                if (r.getObjectId() == null) {
                    continue;
                }
                RevObject o = rw.peel(rw.parseAny(r.getObjectId()));
                if (o instanceof RevCommit c) {
                    rw.markUninteresting(c);
                }
            }
            for (RevCommit c : rw) {
                try (TreeWalk walk = new TreeWalk(repo, rw.getObjectReader())) {
                    walk.addTree(c.getTree());
                    if (c.getParentCount() == 0) {
                        walk.addTree(new EmptyTreeIterator());
                    }
                    for (RevCommit p : c.getParents()) {
                        walk.addTree(rw.parseCommit(p).getTree());
                    }
                    collect(walk, denied, found);
                }
            }
        }
        return List.copyOf(found);
    }

    /** Walks tree 0 against the others and adds each denied path whose tree-0 file differs from all of them. */
    private static void collect(TreeWalk walk, DeniedPaths denied, Set<String> found) throws IOException {
        walk.setRecursive(true);
        walk.setFilter(TreeFilter.ANY_DIFF);
        while (walk.next()) {
            if (walk.getRawMode(0) == FileMode.TYPE_MISSING) {
                continue; // removed: no content recorded
            }
            ObjectId id = walk.getObjectId(0);
            boolean seen = false;
            for (int i = 1; i < walk.getTreeCount(); i++) {
                seen |= id.equals(walk.getObjectId(i)) && walk.getRawMode(0) == walk.getRawMode(i);
            }
            String path = walk.getPathString();
            if (!seen && denied.denied(path)) {
                found.add(path);
            }
        }
    }
}
