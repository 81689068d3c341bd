package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.AuthSignatures;
import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.IntegrityException;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.SharedKeyAuth;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
import io.p2sgw.ikev2.wire.EapPayload;
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
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.eap.EapTlsOutcome;
import io.p2sgw.tls.eap.EapTlsPolicy;
import io.p2sgw.tls.eap.EapTlsServer;
import io.p2sgw.tls.eap.EapTlsStep;
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
 * <p>A first request without AUTH asks for EAP (RFC 7296 §2.16; Windows' EAP-TLS): we answer {@code IDr CERT AUTH
 * EAP(Request/TLS Start)}, signed as for certificate authentication, then carry one EAP packet per exchange (Message
 * IDs 2, 3, ...) through the core's {@link EapTlsServer}, whose policy is the host's {@link IkeAuthHost#verifyClient}.
 * A refusal is answered {@code EAP(Failure) N(AUTHENTICATION_FAILED)}. After EAP-Success the client's last request
 * carries AUTH method 2 keyed with the MSK, which we check before answering with our own MSK AUTH, CP, SA, TSi and
 * TSr, exactly as the certificate path does.
 *
 * <p>Not yet: IPv6 pools, INITIAL_CONTACT's clean-up (reported, the host acts on it). Confined to the IKE SA's thread.
 */
public final class IkeAuthResponder {
    private static final Logger LOG = LoggerFactory.getLogger(IkeAuthResponder.class);
    /** The first IKE_AUTH is the initiator's second request (RFC 7296 §2.2); EAP's exchanges follow it. */
    static final int MESSAGE_ID = 1;
    /**
     * The largest EAP packet we send (EAP-TLS fragments, RFC 5216 §2.1.5): with the SK overhead it stays under
     * {@link #FRAGMENT_THRESHOLD}, so no IKE fragmentation is needed; strongSwan's own EAP-TLS server uses 1024 too.
     */
    static final int EAP_MAX_PACKET = 1024;
    /** EAP exchanges at most before the client's final AUTH: a long chain in 1 KiB fragments needs about 70. */
    static final int MAX_EAP_ROUNDS = 100;
    /**
     * The largest IKE message we send unfragmented to a peer that supports fragmentation: strongSwan's 1280-byte IP
     * budget less IPv4 (20), UDP (8) and the non-ESP marker (4) (ikev2.md §4.4).
     */
    public static final int FRAGMENT_THRESHOLD = 1280 - 20 - 8 - 4;
    /**
     * One X.509 parser for every IKE_AUTH: {@code CertificateFactory.getInstance} looks the provider up each time (a
     * synchronized walk of the provider list), which cost a few microseconds per handshake for nothing. The JDK's
     * X.509 factory keeps no per-call state (its parse cache is synchronized), so the IKE SAs' threads share it.
     */
    private static final CertificateFactory X509 = x509Factory();

    private final HalfOpenIkeSa sa;
    private final IkePolicy ikePolicy;
    private final ChildPolicy childPolicy;
    private final ServerCredentials credentials;
    private final IkeAuthHost host;
    private final SkCipher cipher;
    private final FragmentReassembler fragments = new FragmentReassembler();
    private List<byte[]> cachedResponse = List.of();
    /** The Message ID of the request we answer next; the one before it is answered from the cache. */
    private int expectedMessageId = MESSAGE_ID;
    /** Established or refused: only retransmissions of the last request are answered. */
    private boolean finished;
    /** The EAP conversation after a first request without AUTH; null otherwise. */
    private EapRun eap;

    /** What the EAP path keeps between exchanges (RFC 7296 §2.16). */
    private static final class EapRun {
        final IkeMessage first;
        final IdPayload idi;
        final IdPayload idr;
        EapTlsServer server;
        int rounds;
        /** Set by the policy when the host admitted the chain presented inside TLS. */
        String identity;
        X509Certificate client;
        /** Set on EAP-Success: the MSK the final AUTH payloads are keyed with. */
        byte[] msk;

        EapRun(IkeMessage first, IdPayload idi, IdPayload idr) {
            this.first = first;
            this.idi = idi;
            this.idr = idr;
        }
    }

    public IkeAuthResponder(HalfOpenIkeSa sa, IkePolicy ikePolicy, ChildPolicy childPolicy,
            ServerCredentials credentials, IkeAuthHost host, SecureRandom random) {
        this.sa = sa;
        this.ikePolicy = ikePolicy;
        this.childPolicy = childPolicy;
        this.credentials = credentials;
        this.host = host;
        this.cipher = SkCipher.responder(sa.suite(), sa.keys(), random);
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (java.security.cert.CertificateException e) {
            throw new ExceptionInInitializerError(e); // every JDK has one (Java Security Standard Algorithm Names)
        }
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
        boolean retransmission = !cachedResponse.isEmpty() && h.messageId() == expectedMessageId - 1;
        if (!retransmission && (finished || h.messageId() != expectedMessageId) || msg.payloads().isEmpty()) {
            return dropped("Message ID " + Integer.toUnsignedLong(h.messageId()) + ", expected "
                    + Integer.toUnsignedLong(expectedMessageId));
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
                if (retransmission) {
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
        if (retransmission) {
            return resend(d);
        }
        expectedMessageId++;
        List<Payload> payloads;
        try {
            payloads = PayloadChain.decode(inner, 0, inner.length, firstInner, 0, true);
        } catch (IkeException e) {
            return fail(d, e.notifyType(), e.data(), "malformed IKE_AUTH: " + e.getMessage());
        }
        IkeMessage req = new IkeMessage(h, payloads);
        return eap == null ? authenticate(d, req) : continueEap(d, req);
    }

    private List<IkeAction> authenticate(InboundDatagram d, IkeMessage req) {
        Optional<IdPayload> idi = req.all(IdPayload.class).stream().filter(i -> !i.responder()).findFirst();
        Optional<AuthPayload> auth = req.first(AuthPayload.class);
        if (idi.isEmpty()) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], "IKE_AUTH without IDi");
        }
        if (auth.isEmpty()) {
            // No AUTH: the client asks for EAP (RFC 7296 §2.16), as Windows does for EAP-TLS.
            return startEap(d, req, idi.get());
        }
        List<X509Certificate> certs = new ArrayList<>();
        try {
            for (CertPayload c : req.all(CertPayload.class)) {
                if (c.encoding() == CertPayload.X509_SIGNATURE) {
                    certs.add((X509Certificate) X509.generateCertificate(new ByteArrayInputStream(c.data())));
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
        List<Payload> reply = signedIdentity(ourIdentity(req));
        return complete(d, req, reply, identity, client);
    }

    /** IDr, our CERT payloads and our signature AUTH over RealMessage2 (ikev2.md §2.3 steps 6-7). */
    private List<Payload> signedIdentity(IdPayload idr) {
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
        return reply;
    }

    /**
     * The authenticated client's address (CP), CHILD SA and selectors from its first IKE_AUTH request {@code req},
     * after the payloads that authenticate us ({@code reply}).
     */
    private List<IkeAction> complete(InboundDatagram d, IkeMessage req, List<Payload> reply, String identity,
            X509Certificate client) {
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

    // ---------------------------------------------------------------- EAP (RFC 7296 §2.16)

    /**
     * The first IKE_AUTH without AUTH: we authenticate ourselves with our certificate as usual and start EAP-TLS
     * (RFC 5216 §2.1.1: EAP-Request/TLS Start; no EAP-Identity round, the method identifies the client by its
     * certificate). The client's CP, SA and selectors wait in {@link EapRun#first} for the last exchange.
     */
    private List<IkeAction> startEap(InboundDatagram d, IkeMessage req, IdPayload idi) {
        EapRun run = new EapRun(req, idi, ourIdentity(req));
        Optional<EapTlsServer> server = host.newEapTlsServer(chain -> admit(run, chain), EAP_MAX_PACKET);
        if (server.isEmpty()) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0],
                    "IKE_AUTH without AUTH asks for EAP, which this gateway does not offer");
        }
        run.server = server.get();
        byte[] start;
        try {
            start = run.server.start(0);
        } catch (TlsException e) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], "EAP-TLS could not start: " + e.getMessage());
        }
        eap = run;
        List<Payload> reply = signedIdentity(run.idr);
        reply.add(new EapPayload(start));
        return send(d, reply);
    }

    /**
     * The EAP-TLS policy: the host's certificate policy on the chain the client presented inside TLS (its
     * CertificateVerify has shown it holds the key, so the host may admit it here, as after a signature AUTH).
     */
    private EapTlsPolicy.Verdict admit(EapRun run, List<X509Certificate> chain) {
        if (run.identity != null) {
            return EapTlsPolicy.Verdict.refuse("already admitted in this IKE_AUTH");
        }
        IkeAuthHost.Verdict verdict = host.verifyClient(chain.getFirst(), chain.subList(1, chain.size()));
        if (verdict instanceof IkeAuthHost.Verdict.Refused refused) {
            return EapTlsPolicy.Verdict.refuse(refused.reason());
        }
        run.identity = ((IkeAuthHost.Verdict.Accepted) verdict).identity();
        run.client = chain.getFirst();
        return EapTlsPolicy.Verdict.accept();
    }

    /** An IKE_AUTH request after the first: an EAP Response, or (after EAP-Success) the MSK-keyed AUTH. */
    private List<IkeAction> continueEap(InboundDatagram d, IkeMessage req) {
        if (eap.msk != null) {
            return finishEap(d, req);
        }
        Optional<EapPayload> response = req.first(EapPayload.class);
        if (response.isEmpty()) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], "EAP exchange without an EAP payload");
        }
        if (++eap.rounds > MAX_EAP_ROUNDS) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], "more than " + MAX_EAP_ROUNDS
                    + " EAP exchanges");
        }
        return switch (eap.server.receive(response.get().message())) {
            case EapTlsStep.Send s -> send(d, List.of(new EapPayload(s.packet())));
            // IKE carries EAP reliably, so a Response the method discards (RFC 3748 §4.1) is a broken peer, not a
            // lost packet: the exchange ends.
            case EapTlsStep.Discard x -> fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0],
                    "EAP-TLS discarded the Response: " + x.error());
            case EapTlsStep.Finish f -> switch (f.outcome()) {
                case EapTlsOutcome.Accepted a -> {
                    eap.msk = a.keys().msk();
                    yield send(d, List.of(new EapPayload(f.packet())));
                }
                // EAP-Failure, and AUTHENTICATION_FAILED with it (RFC 7296 §2.16, §2.21.2): the reason (the
                // policy's: untrusted, expired, no EKU, revoked, pool exhausted; or TLS's alert) is for our log only.
                case EapTlsOutcome.Refused r -> failWith(d, List.of(new EapPayload(f.packet()),
                        NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)), NotifyType.AUTHENTICATION_FAILED,
                        "EAP-TLS refused" + subjectOf(r.clientChain()) + ": " + r.error());
            };
        };
    }

    /**
     * The client's last IKE_AUTH: AUTH = prf(prf(MSK, "Key Pad for IKEv2"), RealMessage1 | Nr | prf(SK_pi, IDi'))
     * (RFC 7296 §2.15, §2.16); ours the same over RealMessage2 | Ni | prf(SK_pr, IDr'), then CP, SA, TSi and TSr.
     */
    private List<IkeAction> finishEap(InboundDatagram d, IkeMessage req) {
        Optional<AuthPayload> auth = req.first(AuthPayload.class);
        byte[] theirOctets = AuthSignatures.octets(sa.requestMessage(), sa.responderNonce(), sa.suite().prf(),
                sa.keys().skPi(), eap.idi.body());
        if (auth.isEmpty() || !SharedKeyAuth.verify(sa.suite().prf(), eap.msk, theirOctets, auth.get())) {
            return fail(d, NotifyType.AUTHENTICATION_FAILED, new byte[0], eap.identity + ": "
                    + (auth.isEmpty() ? "no AUTH after EAP-Success" : "the MSK-based AUTH (method "
                    + auth.get().method() + ") does not verify"));
        }
        byte[] ourOctets = AuthSignatures.octets(sa.responseMessage(), sa.initiatorNonce(), sa.suite().prf(),
                sa.keys().skPr(), eap.idr.body());
        List<Payload> reply = new ArrayList<>();
        reply.add(SharedKeyAuth.mic(sa.suite().prf(), eap.msk, ourOctets));
        java.util.Arrays.fill(eap.msk, (byte) 0);
        return complete(d, eap.first, reply, eap.identity, eap.client);
    }

    private static String subjectOf(List<X509Certificate> chain) {
        return chain.isEmpty() ? "" : " " + chain.getFirst().getSubjectX500Principal().getName();
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
        finished = true;
        List<IkeAction> out = new ArrayList<>(send(d, reply));
        if (child.isEmpty()) {
            // The IKE SA is up without a tunnel; P2S has no use for it (ikev2.md §8): the host deletes it.
            LOG.debug("{}: IKE_AUTH without CHILD SA: {}", identity, failure);
            out.add(new IkeAction.AuthFailed(sa.responderSpi(), failureNotify, identity + ": " + failure));
            return out;
        }
        boolean initialContact = req.findNotify(NotifyType.INITIAL_CONTACT).isPresent();
        EstablishedIkeSa est = new EstablishedIkeSa(sa, d.peer(), identity, client, address.orElseThrow(),
                child.get(), initialContact, expectedMessageId, cachedResponse);
        LOG.debug("IKE SA established: {}", est);
        out.add(new IkeAction.Established(est));
        return out;
    }

    private List<IkeAction> fail(InboundDatagram d, NotifyType notify, byte[] data, String reason) {
        // Debug only: the host logs the AuthFailed at a bounded rate (a flood of failing clients is a flood of lines).
        if (LOG.isDebugEnabled()) {
            LOG.debug(String.format("IKE_AUTH from %s (SA %016x) refused: %s", d.peer(), sa.responderSpi(), reason));
        }
        return failWith(d, List.of(NotifyPayload.of(notify, data)), notify, reason);
    }

    /** Answers with {@code reply} (ending in the error notify), and the exchange is over. */
    private List<IkeAction> failWith(InboundDatagram d, List<Payload> reply, NotifyType notify, String reason) {
        finished = true;
        List<IkeAction> out = new ArrayList<>(send(d, reply));
        out.add(new IkeAction.AuthFailed(sa.responderSpi(), notify, reason));
        return out;
    }

    private List<IkeAction> send(InboundDatagram d, List<Payload> reply) {
        IkeHeader h = new IkeHeader(sa.initiatorSpi(), sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_RESPONSE, expectedMessageId - 1, 0);
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
