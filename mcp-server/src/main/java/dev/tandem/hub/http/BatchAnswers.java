package dev.tandem.hub.http;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * The answers of one JSON-RPC batch, joined into one JSON array, under a byte budget ({@code [hub]
 * max_batch_answer_bytes}). An answer that would pass the budget is replaced by a JSON-RPC error naming it, and from
 * then on the batch is full: the requests after it are not run and get an error of their own. So the array is always
 * whole JSON, and what it holds of results stays under the budget; errors add a few hundred bytes per message.
 */
final class BatchAnswers {
    private final long maxBytes;
    private final StringBuilder joined = new StringBuilder("[");
    private long bytes;
    private boolean full;

    BatchAnswers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Returns whether an answer was refused: the requests still to come are not to be run. */
    boolean full() {
        return full;
    }

    boolean isEmpty() {
        return joined.length() == 1;
    }

    /** Adds an answer the budget does not count: an error envelope. */
    void add(String answer) {
        if (!isEmpty()) {
            joined.append(',');
        }
        joined.append(answer);
    }

    /** Adds the answer of request {@code id}, or an error naming the budget when the answer would pass it. */
    void addWithin(String answer, Object id) {
        long size = utf8Length(answer);
        if (full || bytes + size > maxBytes) {
            full = true;
            add(HttpReplies.rpcErrorBody(
                    id,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Answer left out: its " + size + " bytes would take the batch's answer past the limit of "
                            + maxBytes + " bytes ([hub] max_batch_answer_bytes); the request ran, send it on its "
                            + "own to get its answer"));
            return;
        }
        bytes += size;
        add(answer);
    }

    /** Returns the error for request {@code id}, not run because the batch is full. */
    String notRun(Object id) {
        return HttpReplies.rpcErrorBody(
                id,
                McpSchema.ErrorCodes.INVALID_REQUEST,
                "Not run: the batch's answer reached the limit of " + maxBytes
                        + " bytes ([hub] max_batch_answer_bytes); send this request again on its own");
    }

    /** Returns the answers as one JSON array. */
    String joined() {
        return joined + "]";
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
