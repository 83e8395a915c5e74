package dev.tandem.sync.engine;

import java.util.ArrayList;
import java.util.List;

/** A small line diff (longest common subsequence) printed with {@code -}/{@code +} and two lines of context. */
final class LineDiff {
    private static final int MAX_CELLS = 4_000_000;
    private static final int CONTEXT = 2;

    private LineDiff() {}

    static List<String> diff(List<String> a, List<String> b) {
        // the lines both share at the start and the end are context only: a block changed in a 70,000-line
        // config.toml diffs as the block, not as a 70,000 x 70,000 table
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head
                && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<String> ops = new ArrayList<>();
        a.subList(0, head).forEach(l -> ops.add("  " + l));
        List<String> middle = middle(a.subList(head, a.size() - tail), b.subList(head, b.size() - tail));
        if (middle.size() == 1 && middle.get(0).startsWith("  (")) {
            return middle;
        }
        ops.addAll(middle);
        a.subList(a.size() - tail, a.size()).forEach(l -> ops.add("  " + l));
        return withContext(ops);
    }

    private static List<String> middle(List<String> a, List<String> b) {
        if ((long) a.size() * b.size() > MAX_CELLS) {
            return List.of("  (" + a.size() + " lines before, " + b.size() + " after: too large to diff here)");
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add("  " + a.get(i++));
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add("+ " + b.get(j++));
            } else {
                ops.add("- " + a.get(i++));
            }
        }
        return ops;
    }

    private static List<String> withContext(List<String> ops) {
        boolean[] keep = new boolean[ops.size()];
        for (int k = 0; k < ops.size(); k++) {
            if (!ops.get(k).startsWith("  ")) {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(ops.size() - 1, k + CONTEXT); c++) {
                    keep[c] = true;
                }
            }
        }
        List<String> out = new ArrayList<>();
        boolean skipped = false;
        for (int k = 0; k < ops.size(); k++) {
            if (keep[k]) {
                if (skipped) {
                    out.add("  ...");
                }
                out.add(ops.get(k));
                skipped = false;
            } else {
                skipped = true;
            }
        }
        return out;
    }
}
