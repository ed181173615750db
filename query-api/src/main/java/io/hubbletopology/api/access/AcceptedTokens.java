package io.hubbletopology.api.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.threads.DaemonThreads;

/**
 * The bearer tokens the API accepts: those of {@code api.tokens} and those of {@code api.tokens_file}, the
 * file re-read every {@link #POLL_INTERVAL} so a rotated Kubernetes Secret takes effect without a restart.
 * The file's content is compared, not its modification time: the kubelet swaps a Secret's files through
 * symlinks, which leaves the path's own times as they were.
 *
 * <p>A token arrives in the {@code Authorization: Bearer} header (the scheme in any case), or as a
 * {@code token} query parameter for browsers, which cannot set headers on a WebSocket. Tokens are compared
 * in constant time and never logged: log lines name the file and count tokens.
 *
 * <pre>{@code
 * AcceptedTokens tokens = new AcceptedTokens(List.of(), Path.of("/etc/hubble-topology-api/tokens"));
 * tokens.watch();                          // reads the file now, then every two seconds
 * tokens.allows("Bearer s3cret", null);    // true while the file holds s3cret
 * }</pre>
 */
public final class AcceptedTokens implements AutoCloseable {

    /** How often the tokens file is read again. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(AcceptedTokens.class);
    private static final String BEARER = "Bearer ";

    private final List<String> configured;
    private final TokenFile file;
    private volatile List<String> fromFile = List.of();
    private volatile List<byte[]> accepted;
    private String fileProblem;
    private boolean readOnce;
    private ScheduledExecutorService poller;

    /**
     * @param configured the tokens of {@code api.tokens}
     * @param file       the tokens file, or null when there is none
     */
    public AcceptedTokens(List<String> configured, Path file) {
        this.configured = List.copyOf(configured);
        this.file = file == null ? null : new TokenFile(file);
        this.accepted = bytes(this.configured);
    }

    /**
     * True when requests need a token: some are configured, or a tokens file is. A configured file that is
     * empty or missing admits nobody rather than opening the API.
     */
    public boolean enabled() {
        return !configured.isEmpty() || file != null;
    }

    /** Reads the tokens file now, then every {@link #POLL_INTERVAL} until {@link #close}. */
    public synchronized void watch() {
        if (file == null || poller != null) {
            return;
        }
        reload();
        poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("api-tokens-file"));
        poller.scheduleWithFixedDelay(this::reload, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a request's credentials are a current token (always, when tokens are not enabled). */
    public boolean allows(String authorizationHeader, String tokenParameter) {
        if (!enabled()) {
            return true;
        }
        String presented = null;
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            presented = authorizationHeader.substring(BEARER.length()).strip();
        } else if (tokenParameter != null) {
            presented = tokenParameter;
        }
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : accepted) {
            match |= MessageDigest.isEqual(token, candidate);
        }
        return match;
    }

    /**
     * The token this instance presents to the other instances, or null when none is needed or known: the
     * first of {@code api.tokens}, else the first line of the file. Rotate by appending the new token to the
     * file and removing the old one only once every instance has read the new one (docs/security.md).
     */
    public String forPeers() {
        if (!configured.isEmpty()) {
            return configured.get(0);
        }
        List<String> current = fromFile;
        return current.isEmpty() ? null : current.get(0);
    }

    synchronized void reload() {
        List<String> read;
        try {
            read = file.read();
        } catch (IOException | RuntimeException e) {
            String problem = e.getClass().getSimpleName();
            if (!problem.equals(fileProblem)) {
                // The exception's message is left out: for a malformed file it could quote the content.
                log.warn("API tokens file {} cannot be read ({}); keeping the {} tokens read before", file.path(), problem,
                        fromFile.size());
                fileProblem = problem;
            }
            return;
        }
        fileProblem = null;
        if (readOnce && read.equals(fromFile)) {
            return;
        }
        readOnce = true;
        int before = fromFile.size();
        List<String> all = new ArrayList<>(configured);
        all.addAll(read);
        accepted = bytes(all);
        fromFile = read;
        log.info("API tokens file {} read: {} tokens (was {})", file.path(), read.size(), before);
    }

    private static List<byte[]> bytes(List<String> tokens) {
        return tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
