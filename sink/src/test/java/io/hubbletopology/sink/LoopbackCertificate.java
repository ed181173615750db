package io.hubbletopology.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code 127.0.0.1}, made in the test by the JDK's own {@code keytool} (no library, no
 * openssl), written as PEM for the TSDBs ({@link #certFile()}, {@link #keyFile()}) and usable by Java servers and
 * clients as a key store. It is its own CA: the sink trusts it through {@code sink.tls.ca_file}.
 */
record LoopbackCertificate(Path certFile, Path keyFile, KeyStore keyStore) {

    private static final char[] PASSWORD = "loopback".toCharArray();

    static LoopbackCertificate create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve("tsdb.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "tsdb", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        Path certFile = dir.resolve("tsdb.crt");
        Path keyFile = dir.resolve("tsdb.key");
        Files.writeString(certFile, pem("CERTIFICATE", keyStore.getCertificate("tsdb").getEncoded()));
        // PKCS#8, which Go's TLS (Prometheus, VictoriaMetrics) reads as "PRIVATE KEY".
        Files.writeString(keyFile, pem("PRIVATE KEY", keyStore.getKey("tsdb", PASSWORD).getEncoded()));
        return new LoopbackCertificate(certFile, keyFile, keyStore);
    }

    /** For a client that trusts this certificate alone. */
    SSLContext trustingIt() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** For a server that presents it. */
    SSLContext presentingIt() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
