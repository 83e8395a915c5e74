package dev.tandem.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where job records and their output are kept, whatever the database (the store in {@code dev.tandem.core.store}
 * implements it). Every write is durable when the method returns; a database failure is the store's {@code
 * StoreException}.
 */
public interface JobRepository {
    /** Stores a new job. */
    void insert(JobRecord job);

    /** Replaces the stored record of {@code job.id()}; false when there is none. */
    boolean update(JobRecord job);

    /** Returns the job {@code id}. */
    Optional<JobRecord> find(String id);

    /** Returns up to {@code limit} jobs, newest first; only those in {@code statuses} unless it is empty. */
    default List<JobRecord> list(int limit, List<JobStatus> statuses) {
        return list(limit, statuses, Optional.empty());
    }

    /**
     * Returns up to {@code limit} jobs, newest first; only those in {@code statuses} unless it is empty, and only
     * those run on {@code host} when it is present (chosen in the query: another host's newer jobs do not crowd
     * them out).
     */
    List<JobRecord> list(int limit, List<JobStatus> statuses, Optional<String> host);

    /** Returns, per host (by name), how many jobs were created at or after {@code since}. */
    Map<String, Long> countsByHost(Instant since);

    /** Appends events to a job's output in one transaction; their {@code seq} must continue the job's. */
    void appendEvents(String jobId, List<JobEvent> events);

    /** Returns up to {@code limit} events of a job with {@code seq > afterSeq}, oldest first. */
    List<JobEvent> events(String jobId, long afterSeq, int limit);

    /** Returns the newest {@code limit} events of a job, oldest first. */
    List<JobEvent> lastEvents(String jobId, int limit);

    /** Returns the highest event {@code seq} of a job, 0 when it has none. */
    long lastSeq(String jobId);

    /**
     * Marks every queued, running or waiting job {@code interrupted} with {@code error}, ended at {@code now}, and
     * returns them as they were before (a hub calls this when it starts, to settle the jobs a stopped hub left). With
     * {@code host}, only that host's jobs: on a store shared by several machines' hubs, the others' jobs are theirs.
     */
    List<JobRecord> interruptActive(Instant now, String error, Optional<String> host);

    /** Deletes the jobs that ended before {@code cutoff} (never an active one) with their output; returns how many. */
    int deleteEndedBefore(Instant cutoff);
}
