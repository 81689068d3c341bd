package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.AuthSignatures;
import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.IntegrityException;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
import io.p2sgw.ikev2.wire.EncryptedFragmentPayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IdPayload;
import io.p2sgw.ikev2.wire.IkeException;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelector;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sans-I/O IKE_AUTH responder for certificate authentication (RFC 7296 §1.2, §2.15; ikev2.md §2.3) of one
 * half-open IKE SA: opens SK or reassembles SKF, checks the client chain with the host's certificate policy, checks
 * that the certificate contains IDi, verifies AUTH, signs ours, leases an address (CP), picks the ESP proposal,
 * narrows the selectors, derives the CHILD keys and answers {@code IDr CERT AUTH CP SA TSi TSr}, fragmented when the
 * peer supports it and the answer is large. A refused client gets a response holding only AUTHENTICATION_FAILED.
 * The response is cached: a retransmitted request (verified first) gets the same datagrams (§2.1).
 *
 * <p>Not yet: EAP (Windows' EAP-TLS), IPv6 pools, INITIAL_CONTACT's clean-up (reported, the host acts on it).
 * Confined to the IKE SA's thread.
 */
public final class IkeAuthResponder {
    private static final Logger LOG = LoggerFactory.getLogger(IkeAuthResponder.class);
    /** IKE_AUTH is the initiator's second request (RFC 7296 §2.2). */
    static final int MESSAGE_ID = 1;
    /**
     * The largest IKE message we send unfragmented to a peer that supports fragmentation: strongSwan's 1280-byte IP
     * budget less IPv4 (20), UDP (8) and the non-ESP marker (4) (ikev2.md §4.4).
     */
    public static final int FRAGMENT_THRESHOLD = 1280 - 20 - 8 - 4;

    private final HalfOpenIkeSa sa;
    private final IkePolicy ikePolicy;
    private final ChildPolicy childPolicy;
    private final ServerCredentials credentials;
    private final IkeAuthHost host;
    private final SkCipher cipher;
    private final FragmentReassembler fragments = new FragmentReassembler();
    private List<byte[]> cachedResponse = List.of();

    public IkeAuthResponder(HalfOpenIkeSa sa, IkePolicy ikePolicy, ChildPolicy childPolicy,
            ServerCredentials credentials, IkeAuthHost host, SecureRandom random) {
        this.sa = sa;
        this.ikePolicy = ikePolicy;
        this.childPolicy = childPolicy;
        this.credentials = credentials;
        this.host = host;
        this.cipher = SkCipher.responder(sa.suite(), sa.keys(), random);
    }

    /** The SK cipher of this IKE SA, for the exchanges that follow IKE_AUTH. */
    public SkCipher cipher() {
        return cipher;
    }

    public List<IkeAction> receive(InboundDatagram d, long now) {
        byte[] m = d.message();
        IkeMessage msg;
        try {
            msg = IkeMessage.decode(m, 0, m.length);
        } catch (IkeException e) {
            return dropped("undecodable: " + e.getMessage());
        }
        IkeHeader h = msg.header();
        if (h.initiatorSpi() != sa.initiatorSpi() || h.responderSpi() != sa.responderSpi()
                || h.exchangeType() != ExchangeType.IKE_AUTH.code() || h.isResponse() || !h.fromInitiator()) {
            return dropped("not an IKE_AUTH request of this SA");
        }
        if (h.messageId() != MESSAGE_ID || msg.payloads().isEmpty()) {
            return dropped("Message ID " + Integer.toUnsignedLong(h.messageId()));
        }
        Payload last = msg.payloads().getLast();
        int firstInner;
        byte[] inner;
        try {
            if (last instanceof EncryptedPayload sk) {
                inner = cipher.open(m, 0, m.length, sk);
                firstInner = sk.firstInnerType();
            } else if (last instanceof EncryptedFragmentPayload skf) {
                byte[] piece = cipher.openFragment(m, 0, m.length, skf);
                if (!cachedResponse.isEmpty()) {
                    // RFC 7383 §2.6.1: a retransmitted fragmented request is answered once, on fragment 1.
                    return skf.fragmentNumber() == 1 ? resend(d) : List.of();
                }
                Optional<FragmentReassembler.Reassembled> whole = fragments.offer(h.messageId(), skf, piece);
                if (whole.isEmpty()) {
                    return List.of();
                }
                inner = whole.get().inner();
                firstInner = whole.get().firstInnerType();
            } else {
                return dropped("IKE_AUTH without SK");
            }
        } catch (IntegrityException e) {
            // Silently, and the SA lives on (RFC 7296 §2.21.1): a forged IKE_AUTH must not end a client's handshake.
            return List.of(new IkeAction.Dropped(e.getMessage(), true));
        } catch (IkeException e) {
            return dropped(e.getMessage());
        }
        if (!cachedResponse.isEmpty()) {
            return resend(d);
        }
        List<Payload> payloads;
        try {
            payloads = PayloadChain.decode(inner, 0, inner.length, firstInner, 0, true);
        } catch (IkeException e) {
            return fail(d, e.notifyType(), e.data(), "malformed IKE_AUTH: " + e.getMessage());
        }
        return authenticate(d, new IkeMessage(h, payloads));
    }

    private List<IkeAction> authenticate(InboundDatagram d, IkeMessage req) {
        Optional<IdPayload> idi = req.all(IdPayload.class).stream().filter(i -> !i.responder()).findFirst();
        Optional<AuthPayload> auth = req.first(AuthPayload.class);
        if (idi.isEmpty() || auth.isEmpty()) {
            // No AUTH means the client wants EAP (Windows' EAP-TLS), which is not built yet.
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0],
                    idi.isEmpty() ? "IKE_AUTH without IDi" : "IKE_AUTH without AUTH (EAP not supported yet)");
        }
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (CertPayload c : req.all(CertPayload.class)) {
                if (c.encoding() == CertPayload.X509_SIGNATURE) {
                    certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(c.data())));
                }
            }
        } catch (GeneralSecurityException e) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], "unparsable CERT: " + e.getMessage());
        }
        if (certs.isEmpty()) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], "no client certificate");
        }
        X509Certificate client = certs.getFirst();
        // Proof of possession first, the policy after: certificates are public, so the host (which admits the client
        // into the core and leases it an address) is asked only once the AUTH shows the client holds the key.
        String subject = client.getSubjectX500Principal().getName();
        if (!IdentityMatch.certificateContains(client, idi.get())) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], subject + ": IDi not in the certificate");
        }
        byte[] theirOctets = AuthSignatures.octets(sa.requestMessage(), sa.responderNonce(), sa.suite().prf(),
                sa.keys().skPi(), idi.get().body());
        Optional<String> verified = AuthSignatures.verify(client.getPublicKey(), auth.get(), theirOctets);
        if (verified.isEmpty()) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0],
                    subject + ": AUTH method " + auth.get().method() + " does not verify");
        }
        IkeAuthHost.Verdict verdict = host.verifyClient(client, certs.subList(1, certs.size()));
        if (verdict instanceof IkeAuthHost.Verdict.Refused refused) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], refused.reason());
        }
        String identity = ((IkeAuthHost.Verdict.Accepted) verdict).identity();

        // Authenticated. Our identity, certificate(s) and AUTH come first (ikev2.md §2.3 steps 6-7, 10).
        IdPayload idr = ourIdentity(req);
        byte[] ourOctets = AuthSignatures.octets(sa.responseMessage(), sa.initiatorNonce(), sa.suite().prf(),
                sa.keys().skPr(), idr.body());
        List<Payload> reply = new ArrayList<>();
        reply.add(idr);
        for (X509Certificate c : credentials.chain()) {
            try {
                reply.add(new CertPayload(CertPayload.X509_SIGNATURE, c.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("our certificate does not encode", e);
            }
        }
        reply.add(AuthSignatures.sign(credentials.key(), sa.peerSignatureHashes(), ourOctets));

        Optional<byte[]> address = Optional.empty();
        Optional<ConfigPayload> cp = req.first(ConfigPayload.class)
                .filter(c -> c.cfgType() == ConfigPayload.CFG_REQUEST);
        boolean wantsAddress = cp.isPresent()
                && !cp.get().attributesOf(ConfigAttribute.INTERNAL_IP4_ADDRESS).isEmpty();
        if (!wantsAddress) {
            // P2S always hands out an address (ikev2.md §2.3 step 8).
            reply.add(NotifyPayload.of(NotifyType.FAILED_CP_REQUIRED));
            return established(d, reply, identity, client, Optional.empty(), Optional.empty(), req,
                    NotifyType.FAILED_CP_REQUIRED, "no address requested");
        }
        address = host.leaseIpv4(identity);
        if (address.isEmpty()) {
            reply.add(NotifyPayload.of(NotifyType.INTERNAL_ADDRESS_FAILURE));
            return established(d, reply, identity, client, Optional.empty(), Optional.empty(), req,
                    NotifyType.INTERNAL_ADDRESS_FAILURE, "address pool exhausted");
        }
        List<ConfigAttribute> attrs = new ArrayList<>();
        attrs.add(new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, address.get()));
        if (!cp.get().attributesOf(ConfigAttribute.INTERNAL_IP4_DNS).isEmpty()) {
            childPolicy.dnsServers().forEach(s -> attrs.add(new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, s)));
        }
        reply.add(new ConfigPayload(ConfigPayload.CFG_REPLY, attrs));

        // The CHILD SA, or a notify in its place; the IKE SA completes either way (RFC 7296 §1.2, §2.21.2).
        Optional<SaPayload> childOffer = req.first(SaPayload.class);
        List<TrafficSelectorPayload> ts = req.all(TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(t -> !t.responder()).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(TrafficSelectorPayload::responder).findFirst();
        if (childOffer.isEmpty() || tsi.isEmpty() || tsr.isEmpty()) {
            return fail(d, NotifyType.INVALID_SYNTAX, new byte[0], identity + ": IKE_AUTH without SA, TSi or TSr");
        }
        Optional<ProposalSelector.EspChoice> esp = ProposalSelector.selectEsp(childOffer.get(), childPolicy);
        if (esp.isEmpty()) {
            // The offer goes in the reason, which the host logs (at a bounded rate): the engine itself logs no refusal.
            reply.add(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            return established(d, reply, identity, client, address, Optional.empty(), req,
                    NotifyType.NO_PROPOSAL_CHOSEN, "no ESP proposal chosen; offered "
                            + ProposalSelector.describe(childOffer.get()));
        }
        List<TrafficSelector> narrowedI = TrafficSelectors.narrow(
                List.of(TrafficSelectors.ipv4(address.get(), 32)), tsi.get().selectors());
        List<TrafficSelector> narrowedR = TrafficSelectors.narrow(childPolicy.routes(), tsr.get().selectors());
        if (narrowedI.isEmpty() || narrowedR.isEmpty()) {
            reply.add(NotifyPayload.of(NotifyType.TS_UNACCEPTABLE));
            return established(d, reply, identity, client, address, Optional.empty(), req,
                    NotifyType.TS_UNACCEPTABLE, "no traffic selector in common");
        }
        int ourSpi = host.newInboundSpi();
        ProposalSelector.EspChoice choice = esp.get();
        reply.add(new SaPayload(List.of(choice.reply(ourSpi))));
        reply.add(new TrafficSelectorPayload(false, narrowedI));
        reply.add(new TrafficSelectorPayload(true, narrowedR));
        ChildKeys keys = KeyDerivation.childKeys(sa.suite().prf(), sa.keys().skD(), choice.encryption(),
                choice.integrity(), Optional.empty(), sa.initiatorNonce(), sa.responderNonce());
        ChildSa child = new ChildSa(ourSpi, choice.peerSpi(), choice.encryption(), choice.integrity(), keys,
                narrowedI, narrowedR);
        return established(d, reply, identity, client, address, Optional.of(child), req,
                NotifyType.NO_PROPOSAL_CHOSEN, "");
    }

    /**
     * The client's IDr byte for byte if it names one of ours (an FQDN, or an IPv4 address when our name is that
     * address), else our default name: an FQDN, or ID_IPV4_ADDR when the gateway is named by its address
     * (ikev2.md §2.3 step 6). strongSwan compares the IDr's type as well as its value with its configured remote id.
     */
    private IdPayload ourIdentity(IkeMessage req) {
        Optional<IdPayload> asked = req.all(IdPayload.class).stream().filter(IdPayload::responder).findFirst();
        if (asked.isPresent() && asked.get().idType() == IdPayload.ID_FQDN) {
            String name = new String(asked.get().data(), StandardCharsets.US_ASCII);
            if (credentials.names().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
                return asked.get();
            }
        }
        if (asked.isPresent() && asked.get().idType() == IdPayload.ID_IPV4_ADDR) {
            byte[] address = asked.get().data();
            if (credentials.names().stream().map(IkeAuthResponder::ipv4Literal)
                    .anyMatch(a -> a.isPresent() && java.util.Arrays.equals(a.get(), address))) {
                return asked.get();
            }
        }
        String first = credentials.names().getFirst();
        Optional<byte[]> literal = ipv4Literal(first);
        return literal.isPresent() ? IdPayload.of(true, IdPayload.ID_IPV4_ADDR, literal.get())
                : IdPayload.of(true, IdPayload.ID_FQDN, first.getBytes(StandardCharsets.US_ASCII));
    }

    /** A dotted-quad name as its four bytes (no name resolution). */
    static Optional<byte[]> ipv4Literal(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(parts[i]) > 255) {
                return Optional.empty();
            }
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return Optional.of(out);
    }

    private List<IkeAction> established(InboundDatagram d, List<Payload> reply, String identity,
            X509Certificate client, Optional<byte[]> address, Optional<ChildSa> child, IkeMessage req,
            NotifyType failureNotify, String failure) {
        List<IkeAction> out = new ArrayList<>(send(d, reply));
        if (child.isEmpty()) {
            // The IKE SA is up without a tunnel; P2S has no use for it (ikev2.md §8): the host deletes it.
            LOG.debug("{}: IKE_AUTH without CHILD SA: {}", identity, failure);
            out.add(new IkeAction.AuthFailed(sa.responderSpi(), failureNotify, identity + ": " + failure));
            return out;
        }
        boolean initialContact = req.findNotify(NotifyType.INITIAL_CONTACT).isPresent();
        EstablishedIkeSa est = new EstablishedIkeSa(sa, d.peer(), identity, client, address.orElseThrow(),
                child.get(), initialContact);
        LOG.debug("IKE SA established: {}", est);
        out.add(new IkeAction.Established(est));
        return out;
    }

    private List<IkeAction> fail(InboundDatagram d, NotifyType notify, byte[] data, String reason) {
        // Debug only: the host logs the AuthFailed at a bounded rate (a flood of failing clients is a flood of lines).
        if (LOG.isDebugEnabled()) {
            LOG.debug(String.format("IKE_AUTH from %s (SA %016x) refused: %s", d.peer(), sa.responderSpi(), reason));
        }
        List<IkeAction> out = new ArrayList<>(send(d, List.of(NotifyPayload.of(notify, data))));
        out.add(new IkeAction.AuthFailed(sa.responderSpi(), notify, reason));
        return out;
    }

    private List<IkeAction> send(InboundDatagram d, List<Payload> reply) {
        IkeHeader h = new IkeHeader(sa.initiatorSpi(), sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_RESPONSE, MESSAGE_ID, 0);
        int length = cipher.sealedLength(PayloadChain.encodedLength(reply));
        if (sa.peerFragmentation() && length > FRAGMENT_THRESHOLD) {
            cachedResponse = cipher.sealFragments(h, reply, FRAGMENT_THRESHOLD);
            IkeFragmentCounters.sent(cachedResponse.size());
            if (LOG.isDebugEnabled()) {
                LOG.debug(String.format("IKE_AUTH response to %s (SA %016x): %d bytes sent in %d fragments (RFC 7383)",
                        d.peer(), sa.responderSpi(), length, cachedResponse.size()));
            }
        } else {
            cachedResponse = List.of(cipher.seal(h, reply));
        }
        return resend(d);
    }

    private List<IkeAction> resend(InboundDatagram d) {
        List<IkeAction> out = new ArrayList<>();
        for (byte[] m : cachedResponse) {
            out.add(new IkeAction.Send(m.clone(), d.peer(), d.local()));
        }
        return out;
    }

    private static List<IkeAction> dropped(String reason) {
        return List.of(new IkeAction.Dropped(reason));
    }
}
