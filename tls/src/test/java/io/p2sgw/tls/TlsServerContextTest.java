package io.p2sgw.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.tls.TlsPipeTest.Client;
import io.p2sgw.tls.TlsServerContext.ClientAuth;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two kinds of server session against a JSSE client: the CertificateRequest names the roots the caller's
 * supplier gives at that handshake, for TLS 1.2 (the CertificateRequest's certificate_authorities list, RFC 5246
 * §7.4.4) and TLS 1.3 (the certificate_authorities extension, RFC 8446 §4.2.4; JDK 25 sends it in CertificateRequest
 * by default: only {@code jdk.tls.server.disableExtensions=certificate_authorities} would drop it, and
 * {@code jdk.tls.client.enableCAExtension} concerns the ClientHello only). A client picks its certificate from those
 * names (Windows does, sstp.md §4.3), which the recording key manager here sees.
 */
class TlsServerContextTest {
    static final X509Certificate OTHER_ROOT = TestPki.ec("another root").caCertificate();

    /** Wraps the client's key manager and records the issuer names each certificate choice was given. */
    static final class RecordingKeyManager extends X509ExtendedKeyManager {
        final X509KeyManager delegate;
        final List<List<X500Principal>> issuersSeen = new ArrayList<>();

        RecordingKeyManager(KeyManager[] managers) {
            this.delegate = (X509KeyManager) managers[0];
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            issuersSeen.add(issuers == null ? List.of() : Arrays.stream(issuers).map(p -> (X500Principal) p).toList());
            return delegate instanceof X509ExtendedKeyManager x ? x.chooseEngineClientAlias(keyType, issuers, engine)
                    : delegate.chooseClientAlias(keyType, issuers, null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    static TlsServerContext context(AtomicReference<List<X509Certificate>> roots) throws Exception {
        return new TlsServerContext(new ServerIdentity(TlsPipeTest.SERVER_ID.privateKey(), List.of(TlsPipeTest.SERVER,
                TlsPipeTest.CA)), roots::get, new SecureRandom());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void certificateRequestNamesTheRootsTheSupplierGivesAtEachHandshake(String protocol) throws Exception {
        AtomicReference<List<X509Certificate>> roots = new AtomicReference<>(List.of(TlsPipeTest.CA, OTHER_ROOT));
        TlsServerContext context = context(roots);

        RecordingKeyManager km = new RecordingKeyManager(Client.clientKeyManagers());
        Client client = new Client(protocol, new KeyManager[] {km});
        TlsPipe server = context.newServerPipe();
        server.begin();
        TlsPipeTest.pump(client, server, false);
        assertEquals(List.of(List.of(TlsPipeTest.CA.getSubjectX500Principal(), OTHER_ROOT.getSubjectX500Principal())),
                km.issuersSeen, "the client saw both roots' names in the CertificateRequest");
        assertEquals(TlsPipeTest.CLIENT, server.peerChain().getFirst());

        // The snapshot changes: only the other root is trusted now. The client holds no certificate under it, so it
        // sends none, and the handshake that requires one fails.
        roots.set(List.of(OTHER_ROOT));
        RecordingKeyManager km2 = new RecordingKeyManager(Client.clientKeyManagers());
        Client client2 = new Client(protocol, new KeyManager[] {km2});
        TlsPipe server2 = context.newServerPipe();
        server2.begin();
        assertThrows(Exception.class, () -> TlsPipeTest.pump(client2, server2, false));
        assertEquals(List.of(List.of(OTHER_ROOT.getSubjectX500Principal())), km2.issuersSeen);
        assertEquals(List.of(), server2.peerChain());
    }

    @Test
    void theOpenVpnContextNamesNoIssuer() throws Exception {
        TlsServerContext context = new TlsServerContext(new ServerIdentity(TlsPipeTest.SERVER_ID.privateKey(),
                List.of(TlsPipeTest.SERVER, TlsPipeTest.CA)), new SecureRandom());
        RecordingKeyManager km = new RecordingKeyManager(Client.clientKeyManagers());
        Client client = new Client("TLSv1.2", new KeyManager[] {km});
        TlsPipe server = context.newServerPipe();
        server.begin();
        TlsPipeTest.pump(client, server, false);
        assertEquals(List.of(List.of()), km.issuersSeen, "an empty list: the client sends the certificate it has");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void sstpOuterHttpsAsksForNoCertificateAndShowsTheServersLeaf(String protocol) throws Exception {
        TlsServerContext context = context(new AtomicReference<>(List.of(TlsPipeTest.CA)));
        RecordingKeyManager km = new RecordingKeyManager(Client.clientKeyManagers());
        Client client = new Client(protocol, new KeyManager[] {km});
        TlsPipe server = context.newServerPipe(ClientAuth.NONE, TlsServerContext.PROTOCOLS);
        assertEquals(Optional.empty(), server.localCertificate(), "no leaf before the handshake");
        server.begin();
        TlsPipeTest.pump(client, server, false);

        assertEquals(List.of(), km.issuersSeen, "no CertificateRequest");
        assertEquals(List.of(), server.peerChain());
        assertEquals(protocol, server.protocol());
        assertEquals(TlsPipeTest.SERVER, server.localCertificate().orElseThrow(), "the leaf presented in this session");
        assertEquals(TlsPipeTest.SERVER, context.serverCertificate());
        assertArrayEquals(client.engine.getSession().getPeerCertificates()[0].getEncoded(),
                server.localCertificate().orElseThrow().getEncoded(), "what the client hashes for the crypto binding");
    }

    @Test
    void theExporterTakesAContext() throws Exception {
        Client client = new Client("TLSv1.3");
        TlsPipe server = context(new AtomicReference<>(List.of(TlsPipeTest.CA))).newServerPipe();
        server.begin();
        TlsPipeTest.pump(client, server, false);
        byte[] context = {0x0D};
        byte[] ours = server.exportKeyingMaterial("EXPORTER_EAP_TLS_Key_Material", context, 128);
        byte[] theirs = ((ExtendedSSLSession) client.engine.getSession())
                .exportKeyingMaterialData("EXPORTER_EAP_TLS_Key_Material", context, 128);
        assertArrayEquals(theirs, ours);
        assertTrue(!Arrays.equals(ours, server.exportKeyingMaterial("EXPORTER_EAP_TLS_Key_Material", 128)),
                "the context changes the output");
    }

    @Test
    void onlyTls12And13() throws Exception {
        TlsServerContext context = context(new AtomicReference<>(List.of()));
        assertThrows(IllegalArgumentException.class, () -> context.newServerPipe(ClientAuth.REQUIRED, List.of("TLSv1.1")));
        assertThrows(IllegalArgumentException.class, () -> context.newServerPipe(ClientAuth.REQUIRED, List.of()));
    }
}
