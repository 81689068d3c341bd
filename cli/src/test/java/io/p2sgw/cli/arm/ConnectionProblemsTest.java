package io.p2sgw.cli.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed connection tells the operator what to do, not only what the JDK saw. */
class ConnectionProblemsTest {
    @TempDir Path dir;

    private static ArmClient client(URI endpoint, Optional<Path> ca) {
        return new ArmClient(new ClientSettings(endpoint, "secret-token", ca, "sub1"), new PrintWriter(new StringWriter()));
    }

    /** A loopback HTTPS server whose certificate comes from a CA of its own. */
    private static HttpsServer httpsServer(KeyAndChain identity) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "pw".toCharArray();
        ks.setKeyEntry("server", identity.key(), pw, identity.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        s.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    @Test
    void untrustedServerCertificateNamesTheCaFileOption() throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain serverCa = issuer.createRoot("server CA", KeyType.EC256, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        KeyAndChain otherCa = issuer.createRoot("some other CA", KeyType.EC256, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        Path wrongCa = dir.resolve("other-ca.pem");
        Files.writeString(wrongCa, Certificates.toPem(otherCa.certificate()));
        HttpsServer s = httpsServer(serverCa);
        try {
            URI endpoint = URI.create("https://127.0.0.1:" + s.getAddress().getPort());
            for (Optional<Path> ca : java.util.List.of(Optional.<Path>empty(), Optional.of(wrongCa))) {
                ArmException e = assertThrows(ArmException.class, () -> client(endpoint, ca).get("/x"));
                assertEquals("UntrustedServerCertificate", e.code(), e.getMessage());
                assertEquals(0, e.status());
                assertTrue(e.getMessage().contains("--ca-file"), e.getMessage());
                assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
            }
        } finally {
            s.stop(0);
        }
    }

    @Test
    void refusedConnectionSaysSoAndTheDownloadErrorHidesTheSecretPath() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        URI endpoint = URI.create("https://127.0.0.1:" + port);
        ArmException e = assertThrows(ArmException.class, () -> client(endpoint, Optional.empty()).get("/x"));
        assertEquals("ConnectionRefused", e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());

        ArmException d = assertThrows(ArmException.class, () -> client(endpoint, Optional.empty())
                .download(URI.create(endpoint + "/vpnclientpackage/s3cr3t-grant/VNet1GW.zip")));
        assertEquals("ConnectionRefused", d.code(), d.getMessage());
        assertFalse(d.getMessage().contains("s3cr3t-grant"), d.getMessage());
    }
}
