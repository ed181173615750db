package io.hubbletopology.api.observer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;

/**
 * Where and how the processor serves Hubble's Observer API: the port Hubble Relay uses (so {@code hubble observe
 * --server HOST:4245} and hubble-ui's backend need no other change), plaintext unless a keystore is given, and
 * mutual TLS when a client CA is given too. Tokens are the API's ({@code api.tokens}, {@code api.tokens_file}).
 *
 * @param port             the gRPC port; 0 for any free one
 * @param keystore         PKCS12 or JKS keystore with the server's key and chain; null for plaintext
 * @param keystorePassword its password
 * @param clientCa         PEM file of the CAs client certificates must chain to (mTLS); null to ask for none
 * @param stallTimeout     how long a GetFlows call waits for its client to take a response before it ends the call
 */
public record ObserverSettings(int port, Path keystore, String keystorePassword, Path clientCa, Duration stallTimeout) {

    /** Hubble Relay's port, which {@code hubble observe --server} and hubble-ui's backend expect. */
    public static final int RELAY_PORT = 4245;

    public static final ConfigKey<Integer> PORT = ConfigKey.integer("observer.port", "OBSERVER_PORT", null, 0, 65535,
            "Port of Hubble's Observer gRPC API over the flow history (hubble observe --server HOST:PORT, hubble-ui); "
            + "0 for any free one. Unset: 4245, Hubble Relay's port, moved by as much as api.port is from 8080 "
            + "(api.port 8081: 4246), so processors started side by side with their own API ports each get one; "
            + "any free one when api.port is 0.").withOption("--observer-port", "PORT");
    public static final ConfigKey<Path> KEYSTORE = ConfigKey.readableFile("observer.tls.keystore", "OBSERVER_TLS_KEYSTORE",
            "Keystore (PKCS12 or JKS) to serve the Observer API with TLS; unset: plaintext.");
    public static final ConfigKey<String> KEYSTORE_PASSWORD = ConfigKey.string("observer.tls.keystore_password",
            "OBSERVER_TLS_KEYSTORE_PASSWORD", "", "Password of the Observer API's keystore.");
    public static final ConfigKey<Path> CLIENT_CA = ConfigKey.readableFile("observer.tls.client_ca", "OBSERVER_TLS_CLIENT_CA",
            "PEM file of the CAs the Observer API's clients must present a certificate from (mTLS); needs observer.tls.keystore.");

    public static final ConfigKey<Duration> STALL_TIMEOUT = ConfigKey.positiveDuration("observer.stall_timeout", "OBSERVER_STALL_TIMEOUT",
            "60s", "How long a GetFlows call waits for its client to take the next flow (gRPC flow control holds the rest "
            + "back) before it ends the call RESOURCE_EXHAUSTED, so a client that stopped reading does not keep one of the "
            + "call readers.");

    /** Port 4245, plaintext. */
    public static final ObserverSettings DEFAULT = new ObserverSettings(RELAY_PORT, null, "", null, STALL_TIMEOUT.defaultParsed());

    public ObserverSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, was " + stallTimeout);
        }
    }

    /** The settings of the keys; a client CA without a keystore, or a file that is not there, fails naming its key. */
    public static ObserverSettings from(ConfigValues values) {
        Path keystore = values.get(KEYSTORE);
        Path clientCa = values.get(CLIENT_CA);
        if (clientCa != null && keystore == null) {
            throw new ConfigException(CLIENT_CA.name(), CLIENT_CA.name() + " needs " + KEYSTORE.name() + ": mutual TLS is TLS first");
        }
        Integer port = values.get(PORT);
        return new ObserverSettings(port != null ? port : besideApi(values.get(ApiSettings.PORT)), keystore,
                values.get(KEYSTORE_PASSWORD), clientCa, values.get(STALL_TIMEOUT));
    }

    /**
     * The default port for an API on {@code apiPort}: 4245 for the default 8080, and as far from 4245 as the API is
     * from 8080 otherwise, as the state directory follows the API port too; 4245 when that would leave the range.
     */
    static int besideApi(int apiPort) {
        if (apiPort == 0) {
            return 0;
        }
        int port = RELAY_PORT + (apiPort - ApiSettings.DEFAULT_PORT);
        return port >= 1 && port <= 65535 ? port : RELAY_PORT;
    }

    public static List<ConfigKey<?>> keys() {
        return List.of(PORT, KEYSTORE, KEYSTORE_PASSWORD, CLIENT_CA, STALL_TIMEOUT);
    }

    public ObserverSettings withPort(int newPort) {
        return new ObserverSettings(newPort, keystore, keystorePassword, clientCa, stallTimeout);
    }

    /** These settings serving TLS from {@code newKeystore}, with client certificates from {@code newClientCa} if not null. */
    public ObserverSettings withTls(Path newKeystore, String password, Path newClientCa) {
        return new ObserverSettings(port, newKeystore, password, newClientCa, stallTimeout);
    }

    public ObserverSettings withStallTimeout(Duration newStallTimeout) {
        return new ObserverSettings(port, keystore, keystorePassword, clientCa, newStallTimeout);
    }
}
