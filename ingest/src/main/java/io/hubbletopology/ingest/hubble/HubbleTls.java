package io.hubbletopology.ingest.hubble;

import java.nio.file.Path;

/**
 * How the agent secures its connection to Hubble, as Relay deployments use it: plaintext (the local agent's
 * socket, a plaintext Relay), TLS (server verified against a CA) or mTLS (the agent also shows a client
 * certificate).
 *
 * @param enabled    false: plaintext
 * @param caFile     PEM CA bundle the server's certificate must chain to; null: the JDK's trust store
 * @param certFile   PEM client certificate chain for mTLS; null: no client certificate
 * @param keyFile    PEM (PKCS#8) private key of the client certificate
 * @param serverName the name the server's certificate must carry when it differs from the address's host
 *                   (Relay's certificate is for {@code *.hubble-relay.cilium.io}); null: the host
 */
public record HubbleTls(boolean enabled, Path caFile, Path certFile, Path keyFile, String serverName) {

    public static final HubbleTls PLAINTEXT = new HubbleTls(false, null, null, null, null);

    public HubbleTls {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs both a certificate and a key file");
        }
    }

    public boolean mutual() {
        return enabled && certFile != null;
    }

    public String describe() {
        return !enabled ? "plaintext" : mutual() ? "mTLS" : "TLS";
    }
}
