package io.hubbletopology.ingest.replay;

import java.util.List;

/**
 * What a replay read.
 *
 * @param lines                 lines read, blank ones included
 * @param flows                 flows handed to the sink
 * @param filtered              flows left out by the configured filters
 * @param lostReports           lost_events responses handed on
 * @param malformed             lines that could not be used
 * @param malformedLineNumbers  the first of those lines' numbers (1-based), for the report
 */
public record ReplayResult(long lines, long flows, long filtered, long lostReports, long malformed,
                           List<Long> malformedLineNumbers) {

    public ReplayResult {
        malformedLineNumbers = List.copyOf(malformedLineNumbers);
    }
}
