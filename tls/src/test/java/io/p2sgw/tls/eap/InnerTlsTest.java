package io.p2sgw.tls.eap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.tls.ClientHelloOffer;
import io.p2sgw.tls.ClientHelloOffer.Versions;
import io.p2sgw.tls.TlsServerContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The choice of the inner TLS version and stack for a ClientHello (sstp.md §4.3; RFC 5216, RFC 7627, RFC 9190). */
class InnerTlsTest {
    static final TlsServerContext CONTEXT = EapTlsServerTest.CONTEXT;

    @Test
    void theChoiceOfVersions() {
        List<String> both = TlsServerContext.PROTOCOLS;
        assertEquals(List.of("TLSv1.2"), InnerTls.protocolsFor(Versions.TLS_1_2, both));
        assertEquals(List.of("TLSv1.3"), InnerTls.protocolsFor(Versions.TLS_1_3_ONLY, both));
        assertEquals(List.of("TLSv1.2"), InnerTls.protocolsFor(Versions.UNKNOWN, both));
        List<String> capped = TlsServerContext.TLS_1_2_ONLY;
        assertEquals(capped, InnerTls.protocolsFor(Versions.TLS_1_3_ONLY, capped));
    }

    @Test
    void theChoiceOfStacks() throws Exception {
        InnerTls keyed = new InnerTls(CONTEXT, TlsServerContext.PROTOCOLS, true);
        InnerTls strict = new InnerTls(CONTEXT, TlsServerContext.PROTOCOLS, false);
        ClientHelloOffer noEms = new ClientHelloOffer(Versions.TLS_1_2, true);
        assertInstanceOf(Rfc5216Tls12Connection.class, keyed.open(noEms));
        assertInstanceOf(JsseEapTlsConnection.class, strict.open(noEms));
        assertInstanceOf(JsseEapTlsConnection.class, keyed.open(new ClientHelloOffer(Versions.TLS_1_2, false)));
        // TLS 1.3 binds its keys to the transcript: no extended master secret needed, JSSE as always.
        assertInstanceOf(JsseEapTlsConnection.class, keyed.open(new ClientHelloOffer(Versions.TLS_1_3_ONLY, true)));
        assertInstanceOf(JsseEapTlsConnection.class, keyed.open(ClientHelloOffer.UNKNOWN));
    }

    @Test
    void onlyTlsVersionsTheGatewayKnows() {
        assertThrows(IllegalArgumentException.class, () -> new InnerTls(CONTEXT, List.of("TLSv1.1"), true));
        assertThrows(IllegalArgumentException.class, () -> new InnerTls(CONTEXT, List.of(), true));
    }
}
