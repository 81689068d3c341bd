package io.p2sgw.tls.eap;

import io.p2sgw.tls.ClientHelloOffer;
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsServerContext;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's choice of the TLS under EAP-TLS, shared by SSTP's PPP and IKEv2's EAP payload: made once the peer's
 * ClientHello is here, because it depends on what that hello offers ({@link ClientHelloOffer}).
 * <ul>
 *   <li>Version: TLS 1.2 whenever the peer offers it (pppd 2.4.9's TLS 1.3 is experimental and predates RFC 9190; the
 *   Windows clients negotiate 1.2: sstp.md §4.3, pitfall 5), TLS 1.3 (RFC 9190) only when the peer insists, and the
 *   allowed set as it is when the offer cannot be read (the handshake then decides, or fails with its own alert).</li>
 *   <li>Stack: JSSE, except for a TLS 1.2 peer that offers no extended master secret (RFC 7627), whose keys JSSE will
 *   not export: that one gets {@link Rfc5216Tls12Connection} when {@code keysWithoutExtendedMasterSecret} is on (the
 *   default: RFC 5216 keys such sessions, and so do RADIUS servers), and is refused after its handshake otherwise.</li>
 * </ul>
 *
 * @param context the server's identity and trusted roots
 * @param protocols the TLS versions the gateway allows inside EAP-TLS ({@link TlsServerContext#PROTOCOLS} or
 *     {@link TlsServerContext#TLS_1_2_ONLY})
 * @param keysWithoutExtendedMasterSecret whether a TLS 1.2 peer without the extended master secret is keyed the RFC
 *     5216 way (true) or refused as RFC 7627 §5.4 asks (false)
 */
public record InnerTls(TlsServerContext context, List<String> protocols, boolean keysWithoutExtendedMasterSecret) {
    private static final String TLS_1_2 = "TLSv1.2";
    private static final String TLS_1_3 = "TLSv1.3";

    public InnerTls {
        Objects.requireNonNull(context, "context");
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty() || !TlsServerContext.PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("inner TLS versions " + protocols);
        }
    }

    /** The TLS session for a peer whose first message offers {@code offer}. */
    public EapTlsConnection open(ClientHelloOffer offer) throws TlsException {
        List<String> chosen = protocolsFor(offer.versions(), protocols);
        boolean tls12Only = chosen.equals(List.of(TLS_1_2));
        if (tls12Only && offer.lacksExtendedMasterSecret() && keysWithoutExtendedMasterSecret) {
            return new Rfc5216Tls12Connection(context.identity(), context.trustedRoots(), context.random());
        }
        return new JsseEapTlsConnection(context.newServerPipe(TlsServerContext.ClientAuth.REQUIRED, chosen),
                tls12Only && offer.lacksExtendedMasterSecret());
    }

    /** The versions to enable for a peer offering {@code versions}, within {@code allowed} (see the class comment). */
    public static List<String> protocolsFor(ClientHelloOffer.Versions versions, List<String> allowed) {
        return switch (versions) {
            case TLS_1_2 -> allowed.contains(TLS_1_2) ? List.of(TLS_1_2) : allowed;
            case TLS_1_3_ONLY -> allowed.contains(TLS_1_3) ? List.of(TLS_1_3) : allowed;
            case UNKNOWN -> allowed.contains(TLS_1_2) ? List.of(TLS_1_2) : allowed;
        };
    }
}
