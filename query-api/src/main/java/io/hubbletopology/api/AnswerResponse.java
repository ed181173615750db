package io.hubbletopology.api;

import java.io.IOException;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;

/**
 * Sends an {@link EncodedAnswer} as HTTP wants it: gzip bytes to a client that accepts gzip, the JSON bytes to
 * the others, each with its entity tag, and a 304 without a body when the client already holds those bytes
 * ({@code If-None-Match}). Nothing is encoded here: the bytes are the cache's, the same for every client.
 * <p>
 * {@code Cache-Control: no-cache} lets a browser or proxy keep the answer but not reuse it without asking: the
 * answer is only current for the freshness bound ({@link ApiServer#ANSWER_MAX_AGE}), and a 304 is the server
 * saying it still is.
 */
final class AnswerResponse {

    private static final Logger log = LoggerFactory.getLogger(AnswerResponse.class);

    private AnswerResponse() {
    }

    /** True when the request's {@code Accept-Encoding} takes gzip (named or by {@code *}, with a weight above 0). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean star = null;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean wanted = weight(parts) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return wanted;
            }
            if (coding.equals("*")) {
                star = wanted;
            }
        }
        return Boolean.TRUE.equals(star);
    }

    /** True when an {@code If-None-Match} value names this tag or is {@code *} (weak comparison, RFC 9110 13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String item : ifNoneMatch.split(",")) {
            String tag = item.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request gets gzip: what to ask the cache for before {@link #send}. */
    static boolean gzip(Context ctx) {
        return acceptsGzip(ctx.header("Accept-Encoding"));
    }

    /** Answers the request with these bytes, or with 304 when the client holds them already. */
    static void send(Context ctx, EncodedAnswer answer, boolean gzip) {
        String etag = answer.etag(gzip);
        ctx.header("ETag", etag).header("Vary", "Accept-Encoding").header("Cache-Control", "no-cache");
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        if (gzip) {
            // Javalin compresses nothing that already says how it is encoded.
            ctx.header("Content-Encoding", "gzip");
        }
        byte[] bytes = answer.bytes(gzip);
        ctx.status(200).contentType("application/json");
        ctx.res().setContentLength(bytes.length);
        try {
            // One write of the whole array: Jetty hands an array larger than its buffer to the socket as it is,
            // where a result stream would be copied through that buffer in small pieces for every client.
            ctx.res().getOutputStream().write(bytes);
        } catch (IOException e) {
            // The client went away during the answer: there is no one left to answer, and nothing of ours failed.
            log.debug("{} {} from {}: the client left during the answer ({})", ctx.method(), ctx.path(), ctx.ip(), e.toString());
        }
    }

    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
