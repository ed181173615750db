package io.hubbletopology.sink.remote;

import java.util.Locale;

/**
 * What the TSDB said to one write request.
 *
 * @param kind   how to go on
 * @param status the HTTP status, 0 when there was no answer
 * @param reason a short reason for logs: the start of the TSDB's answer, or the connection error
 */
public record WriteOutcome(Kind kind, int status, String reason) {

    public enum Kind {
        /** 2xx: stored (an identical sample already stored counts as stored). */
        ACCEPTED,
        /** 5xx, 429, no answer: the same request may succeed later. */
        RETRY,
        /** Any other 4xx: the request as it is will never be taken (out of bounds, bad labels, ...). */
        REJECTED
    }

    static WriteOutcome ofStatus(int status, String body) {
        String reason = body == null ? "" : body.strip().lines().findFirst().orElse("");
        reason = reason.length() > 200 ? reason.substring(0, 200) : reason;
        if (status / 100 == 2) {
            return new WriteOutcome(Kind.ACCEPTED, status, reason);
        }
        if (status == 429 || status / 100 == 5 || status / 100 != 4) {
            return new WriteOutcome(Kind.RETRY, status, reason);
        }
        return new WriteOutcome(Kind.REJECTED, status, reason);
    }

    static WriteOutcome noAnswer(String reason) {
        return new WriteOutcome(Kind.RETRY, 0, reason);
    }

    /**
     * The kind of refusal, for counting and logging once: Prometheus' error text without the series and times it
     * names ("out of order sample", "out of bounds", "duplicate sample for timestamp"), else the status.
     */
    public String rejectionKind() {
        String lower = reason.toLowerCase(Locale.ROOT);
        for (String known : new String[] {"out of order sample", "out of bounds", "duplicate sample for timestamp",
                "too old", "invalid label", "label", "tenant"}) {
            if (lower.contains(known)) {
                return known.replace(' ', '_');
            }
        }
        return "http_" + status;
    }
}
