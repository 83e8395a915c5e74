package dev.tandem.hub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What one class logs (java.util.logging, as the hub's log and stderr get it) while a piece of a test runs. */
public final class Logged {
    private Logged() {}

    /** A piece of a test that may throw. */
    public interface Run {
        void run() throws Exception;
    }

    /** Returns the messages {@code source}'s logger gets at {@code least} or above while {@code run} runs. */
    public static List<String> messages(Class<?> source, Level least, Run run) throws Exception {
        Logger logger = Logger.getLogger(source.getName());
        List<String> got = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= least.intValue()) {
                    got.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(h);
        try {
            run.run();
        } finally {
            logger.removeHandler(h);
        }
        return got;
    }
}
