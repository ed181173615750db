package io.hubbletopology.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * One answer as it is sent: its JSON bytes, their gzip and an entity tag for each, made once and then handed to
 * every client asking the same question (the bytes are never written into, only read). The gzip is made on first
 * need, once however many ask for it at the same time.
 * <p>
 * The tags are strong (they change whenever a byte changes): a hash of the JSON, and the same with
 * {@code -gzip} for the gzip bytes, which are another representation of it (RFC 9110, 8.8.3).
 *
 * <pre>{@code
 * EncodedAnswer answer = EncodedAnswer.of(json.writeValueAsBytes(body));
 * ctx.header("ETag", answer.etag(true)).result(answer.bytes(true));
 * }</pre>
 */
final class EncodedAnswer {

    private final byte[] json;
    private final String tag;
    private volatile byte[] gzip;

    private EncodedAnswer(byte[] json, String tag) {
        this.json = json;
        this.tag = tag;
    }

    /** An answer of these JSON bytes; the caller hands them over and no longer writes into them. */
    static EncodedAnswer of(byte[] json) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            // 128 bits: two different answers get the same tag with a chance no client will ever meet.
            return new EncodedAnswer(json, Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The bytes to send: the gzip ones (made now if they are not yet) or the JSON itself. */
    byte[] bytes(boolean gzipped) {
        return gzipped ? gzip() : json;
    }

    /** The entity tag of those bytes, quoted as the ETag header carries it. */
    String etag(boolean gzipped) {
        return gzipped ? "\"" + tag + "-gzip\"" : "\"" + tag + "\"";
    }

    /** True once the gzip bytes are made. */
    boolean gzipMade() {
        return gzip != null;
    }

    /** The bytes held: the JSON, and the gzip once made. */
    long size() {
        byte[] g = gzip;
        return json.length + (g == null ? 0 : g.length);
    }

    private byte[] gzip() {
        byte[] g = gzip;
        if (g != null) {
            return g;
        }
        synchronized (this) {
            if (gzip == null) {
                gzip = compress(json);
            }
            return gzip;
        }
    }

    private static byte[] compress(byte[] json) {
        // JSON of many alike edges shrinks about tenfold; start the buffer near that to copy little.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 8));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
