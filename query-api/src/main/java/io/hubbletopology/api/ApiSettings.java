package io.hubbletopology.api;

/**
 * Where the query API listens and what it reports about itself.
 *
 * @param host the address to bind ({@code 0.0.0.0} for every interface)
 * @param port the HTTP port; 0 picks a free one
 * @param mode the discovery mode reported by {@code /health}, as the agent we replace did
 */
public record ApiSettings(String host, int port, String mode) {

    public ApiSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
    }
}
