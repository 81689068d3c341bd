package io.p2sgw.sstp.server;

import io.p2sgw.sstp.ppp.EapServerMethod;
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.eap.EapException;
import io.p2sgw.tls.eap.EapPacket;
import io.p2sgw.tls.eap.EapTlsOutcome;
import io.p2sgw.tls.eap.EapTlsServer;
import io.p2sgw.tls.eap.EapTlsStep;
import io.p2sgw.tls.eap.EapTlsFragment;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * EAP-TLS (RFC 5216; the {@code tls} module's {@link EapTlsServer}) as the PPP engine's {@link EapServerMethod}
 * (sstp.md §4.3). The two split EAP differently: the PPP engine owns Identifiers, retransmission and Success/Failure
 * and speaks type data; {@link EapTlsServer} speaks whole EAP packets with Identifiers of its own. This adapter wraps
 * each Response's type data in the packet the method expects (with the Identifier it has outstanding: the engine has
 * already matched the peer's Identifier to its own Request) and unwraps the type data of every Request the method
 * produces. On the method's Success its MSK (RFC 5216 §2.3) goes to the engine for SSTP's crypto binding
 * ([MS-SSTP] 3.2.5.2; sstp.md §3.4), before EAP-Success leaves.
 *
 * <p>One session, one thread at a time (the connection's lock).
 */
public final class EapTlsMethod implements EapServerMethod {
    /** Makes the EAP-TLS server (whose {@link io.p2sgw.tls.eap.InnerTls} picks the TLS for the peer's ClientHello). */
    @FunctionalInterface
    public interface ServerFactory {
        /** @param maxPacket the largest EAP packet the peer's MRU allows (the PPP engine knows it only once LCP is open) */
        EapTlsServer create(int maxPacket);
    }

    private final ServerFactory factory;
    private final Supplier<String> subject;
    private int maxPacket;
    private boolean started;
    private EapTlsServer server;
    private EapTlsOutcome outcome;

    /**
     * @param factory makes the EAP-TLS server
     * @param subject names the authenticated client for logs once the policy accepted it (no key material)
     */
    public EapTlsMethod(ServerFactory factory, Supplier<String> subject) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    @Override
    public int type() {
        return EapPacket.TYPE_TLS;
    }

    @Override
    public Step start(String identity, int maxTypeData) {
        if (started) {
            return new Step.Failure("EAP-TLS started twice");
        }
        started = true;
        // The EAP header and the Type byte come on top of the type data (RFC 3748 §4).
        maxPacket = Math.min(EapPacket.MAX_LENGTH, maxTypeData + EapPacket.HEADER_LENGTH + 1);
        if (maxPacket < EapTlsServer.MIN_PACKET_LENGTH) {
            return new Step.Failure("the peer's MRU leaves " + maxPacket + " bytes for an EAP packet");
        }
        // EAP-TLS Start (RFC 5216 §2.1.1): the S flag alone. The method is made at the peer's first Response, when the
        // PPP engine hands over the Identifier to continue from; its TLS is chosen by the ClientHello (InnerTls).
        return new Step.Request(new byte[] {(byte) EapTlsFragment.S});
    }

    @Override
    public Step receive(byte[] typeData) {
        if (!started || maxPacket < EapTlsServer.MIN_PACKET_LENGTH) {
            return new Step.Failure("EAP-TLS Response before the method started");
        }
        if (server == null) {
            server = factory.create(maxPacket);
            try {
                server.start(0);
            } catch (TlsException e) {
                return new Step.Failure("EAP-TLS could not start: " + e.getMessage());
            }
        }
        EapPacket response = new EapPacket(EapPacket.RESPONSE, server.outstandingIdentifier(), EapPacket.TYPE_TLS,
                typeData);
        return switch (server.receive(response.encode())) {
            case EapTlsStep.Send s -> requestOf(s.packet());
            // Only a malformed Response lands here (the Identifier always matches): the engine has no "discard and keep
            // waiting" once it handed the Response over, so the conversation ends.
            case EapTlsStep.Discard d -> new Step.Failure("EAP-TLS: " + d.error());
            case EapTlsStep.Finish f -> {
                outcome = f.outcome();
                yield switch (f.outcome()) {
                    case EapTlsOutcome.Accepted a -> new Step.Success(a.keys().msk(), subject.get() + " (inner "
                            + a.tlsProtocol() + ")");
                    case EapTlsOutcome.Refused r -> new Step.Failure("EAP-TLS refused: " + r.error());
                };
            }
        };
    }

    /** How the conversation ended, once it has (for the log and the tests); null before. */
    public EapTlsOutcome outcome() {
        return outcome;
    }

    private static Step requestOf(byte[] packet) {
        try {
            EapPacket p = EapPacket.parse(packet);
            return new Step.Request(p.typeData());
        } catch (EapException e) {
            // Our own method's packet: never malformed.
            throw new IllegalStateException("EAP-TLS produced a malformed Request: " + e.getMessage(), e);
        }
    }
}
