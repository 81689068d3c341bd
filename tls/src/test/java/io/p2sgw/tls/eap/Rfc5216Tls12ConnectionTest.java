package io.p2sgw.tls.eap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.tls.TlsServerContext;
import io.p2sgw.tls.eap.EapError.Reason;
import io.p2sgw.tls.eap.EapTlsServerTest.RecordingPolicy;
import io.p2sgw.tls.eap.EapTlsServerTest.Run;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * EAP-TLS with a TLS 1.2 client that offers no extended master secret (strongSwan 5.9.8's libtls is one): the server
 * picks {@link Rfc5216Tls12Connection} for it, and both sides derive the same MSK and EMSK by RFC 5216 §2.3 (the client
 * computes its own with a PRF written in the test, {@link BcNoEmsClient}). With the operator's switch off the client is
 * refused after its handshake, and the reason says why. The policy, a missing certificate and a JSSE client behave as on
 * the JSSE path.
 */
class Rfc5216Tls12ConnectionTest {
    static final TlsServerContext CONTEXT = EapTlsServerTest.CONTEXT;

    static EapTlsServer server(EapTlsPolicy policy, boolean keysWithoutEms, int maxPacket) {
        return new EapTlsServer(new InnerTls(CONTEXT, TlsServerContext.PROTOCOLS, keysWithoutEms), policy, maxPacket);
    }

    @ParameterizedTest(name = "suite {0}, EAP packets of at most {1} bytes")
    @CsvSource({"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 1400", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, 1400",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 100", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 64"})
    void aClientWithoutTheExtendedMasterSecretGetsRfc5216Keys(String suite, int maxPacket) throws Exception {
        RecordingPolicy policy = new RecordingPolicy(EapTlsPolicy.Verdict.accept());
        EapTlsServer server = server(policy, true, maxPacket);
        BcNoEmsClient tls = new BcNoEmsClient(suiteCode(suite), true);
        EapTlsPeer peer = new EapTlsPeer(tls, maxPacket);

        Run run = EapTlsServerTest.pump(server, peer, 3, maxPacket);
        assertEquals(EapPacket.SUCCESS, peer.finish(run.finish().packet()), run.finish().outcome().toString());
        assertTrue(peer.handshakeDone());
        assertFalse(tls.extendedMasterSecret(), "the session has no extended master secret");
        assertInstanceOf(Rfc5216Tls12Connection.class, server.connection().orElseThrow());
        EapTlsOutcome.Accepted accepted = assertInstanceOf(EapTlsOutcome.Accepted.class, run.finish().outcome());
        assertEquals("TLSv1.2", accepted.tlsProtocol());
        assertEquals(List.of(EapTestPki.CLIENT, EapTestPki.ROOT), accepted.clientChain());
        assertEquals(List.of(accepted.clientChain()), policy.seen);

        byte[] material = peer.keyMaterial();
        assertArrayEquals(Arrays.copyOfRange(material, 0, 64), accepted.keys().msk(), "MSK = key material 0..63");
        assertArrayEquals(Arrays.copyOfRange(material, 64, 128), accepted.keys().emsk(), "EMSK = key material 64..127");
        assertEquals(List.of(), peer.applicationData, "TLS 1.2: no success indication");
        assertEquals(0, peer.peerFlags.getLast(), "the peer's last Response is the empty final one");
        // The server presented the gateway's chain, leaf first.
        assertArrayEquals(EapTestPki.SERVER.getEncoded(), tls.serverChain[0]);
        assertEquals(EapTestPki.SERVER, server.connection().orElseThrow().localCertificate().orElseThrow());
    }

    @Test
    void aCertificateVerifySignedWithRsaPssIsChecked() throws Exception {
        EapTlsServer server = server(new RecordingPolicy(EapTlsPolicy.Verdict.accept()), true, 1400);
        EapTlsPeer peer = new EapTlsPeer(new BcNoEmsClient(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true,
                org.bouncycastle.tls.SignatureAndHashAlgorithm.rsa_pss_rsae_sha256), 1400);

        Run run = EapTlsServerTest.pump(server, peer, 1, 1400);
        assertEquals(EapPacket.SUCCESS, peer.finish(run.finish().packet()), run.finish().outcome().toString());
    }

    /**
     * strongSwan's libtls sends neither renegotiation_info nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746); Bouncy
     * Castle's default refuses such a client with handshake_failure (seen with strongSwan 5.9.8 in the lab). No Java
     * client can leave both out, so the server's answer to "no secure renegotiation" is checked where it is decided.
     */
    @Test
    void aClientWithoutRenegotiationIndicationIsServed() throws Exception {
        Rfc5216Tls12Connection c = new Rfc5216Tls12Connection(CONTEXT.identity(), CONTEXT.trustedRoots(),
                new java.security.SecureRandom());
        c.server.notifySecureRenegotiation(false);
        assertEquals(org.bouncycastle.tls.RenegotiationPolicy.DENY, c.server.getRenegotiationPolicy());
    }

    @Test
    void withTheSwitchOffSuchAClientIsRefusedAndTheReasonSaysWhy() throws Exception {
        EapTlsServer server = server(new RecordingPolicy(EapTlsPolicy.Verdict.accept()), false, 1400);
        EapTlsPeer peer = new EapTlsPeer(new BcNoEmsClient(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true), 1400);

        Run run = EapTlsServerTest.pump(server, peer, 3, 1400);
        assertEquals(EapPacket.FAILURE, peer.finish(run.finish().packet()));
        assertInstanceOf(JsseEapTlsConnection.class, server.connection().orElseThrow());
        EapTlsOutcome.Refused refused = assertInstanceOf(EapTlsOutcome.Refused.class, run.finish().outcome());
        assertEquals(Reason.KEY_EXPORT_FAILED, refused.error().reason(), refused.error().toString());
        assertTrue(refused.error().detail().contains("offered no extended master secret, RFC 7627"),
                refused.error().detail());
    }

    @Test
    void thePolicyStillDecides() throws Exception {
        RecordingPolicy policy = new RecordingPolicy(EapTlsPolicy.Verdict.refuse("thumbprint AB12 is revoked"));
        EapTlsServer server = server(policy, true, 300);
        EapTlsPeer peer = new EapTlsPeer(new BcNoEmsClient(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true), 300);

        Run run = EapTlsServerTest.pump(server, peer, 9, 300);
        assertEquals(EapPacket.FAILURE, peer.finish(run.finish().packet()));
        EapTlsOutcome.Refused refused = assertInstanceOf(EapTlsOutcome.Refused.class, run.finish().outcome());
        assertEquals(Reason.POLICY_REFUSED, refused.error().reason());
        assertEquals(EapTestPki.CLIENT, refused.clientChain().getFirst());
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        EapTlsServer server = server(new RecordingPolicy(EapTlsPolicy.Verdict.accept()), true, 1400);
        EapTlsPeer peer = new EapTlsPeer(new BcNoEmsClient(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false), 1400);

        Run run = EapTlsServerTest.pump(server, peer, 1, 1400);
        assertEquals(EapPacket.FAILURE, peer.finish(run.finish().packet()));
        EapTlsOutcome.Refused refused = assertInstanceOf(EapTlsOutcome.Refused.class, run.finish().outcome());
        assertEquals(Reason.NO_CLIENT_CERTIFICATE, refused.error().reason());
    }

    @Test
    void aClientWithTheExtendedMasterSecretStaysOnJsse() throws Exception {
        EapTlsServer server = server(new RecordingPolicy(EapTlsPolicy.Verdict.accept()), true, 1400);
        EapTlsPeer peer = new EapTlsPeer("TLSv1.2", EapTestPki.clientKeyManagers(), 1400);

        Run run = EapTlsServerTest.pump(server, peer, 1, 1400);
        assertEquals(EapPacket.SUCCESS, peer.finish(run.finish().packet()));
        assertInstanceOf(JsseEapTlsConnection.class, server.connection().orElseThrow());
    }

    private static int suiteCode(String name) throws Exception {
        return CipherSuite.class.getField(name).getInt(null);
    }
}
