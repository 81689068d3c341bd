package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.IntegrityException;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.DeletePayload;
import io.p2sgw.ikev2.wire.EncryptedFragmentPayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeException;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.IkeKeys;
import io.p2sgw.ikev2.crypto.IkeSuite;
import io.p2sgw.ikev2.crypto.PrfAlgorithm;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.KeyExchange;
import io.p2sgw.ikev2.wire.KePayload;
import io.p2sgw.ikev2.wire.NoncePayload;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The exchanges of an established IKE SA that this module handles so far (RFC 7296 §1.4, §2.1-§2.3; ikev2.md §4.3,
 * §7): the client's INFORMATIONAL requests (empty = liveness check, D(IKE), D(ESP), a notify such as its own
 * AUTHENTICATION_FAILED) with a window of one, byte-identical answers to retransmissions, our own D(IKE) request
 * under our separate Message ID counter, and CREATE_CHILD_SA rekeys of the CHILD SA with or without PFS (RFC 7296
 * §1.3.3, ikev2.md §7.3) and of the IKE SA (§1.3.2, §2.18). Additional CHILD SAs are not built and are answered
 * with NO_ADDITIONAL_SAS.
 *
 * <p>Our own requests, one at a time (RFC 7296 §2.3): liveness checks, and the CHILD SA rekeys the gateway starts
 * itself ({@link #tick}) when a CHILD SA reaches its soft lifetime ({@link ChildTimers}) or its outbound sequence
 * numbers near their end ({@link #sequenceNumbersRunningOut}; RFC 4303 §3.3.3, no ESN): {@code N(REKEY_SA) SA Ni
 * TSi TSr} (RFC 7296 §1.3.3), then {@code D(ESP)} of the old SA, which the initiator of a rekey deletes (§2.8). A
 * CHILD SA that reaches its hard lifetime unreplaced ends the IKE SA with a D(IKE).
 *
 * <p>Simultaneous rekeys (RFC 7296 §2.8.1) are not resolved by comparing nonces: while a rekey or delete of ours is
 * under way, the client's request to rekey the same CHILD SA, or the IKE SA, is answered with TEMPORARY_FAILURE
 * (§2.25: the exchange collided, try again later). Ours then completes; the client's retry finds the CHILD SA
 * replaced and gives up (strongSwan: "CHILD_SA ... not found for rekey"), so exactly one new SA survives.
 * Confined to the IKE SA's thread.
 */
public final class InformationalResponder {
    private final EstablishedIkeSa sa;
    private final SkCipher cipher;
    private final IkePolicy ikePolicy;
    private final ChildPolicy childPolicy;
    private final IkeAuthHost host;
    private final SecureRandom random;
    /** Live CHILD SAs, oldest first: the one from IKE_AUTH, then rekeyed ones until the client deletes the old. */
    private final List<ChildSa> children = new ArrayList<>();
    private final FragmentReassembler fragments = new FragmentReassembler();
    /** The next Message ID we expect from the client: IKE_AUTH was 1; a rekeyed IKE SA starts at 0. */
    private int expected;
    private List<byte[]> lastResponse = List.of();
    /** Our own requests count from 0 (ikev2.md §4.3, pitfall §10.11). */
    private int ourNextMessageId;
    /** Our request waiting for its answer (a window of one, RFC 7296 §2.3), or null. */
    private OurRequest outstanding;
    /**
     * The inbound SPI of a rekey of ours that gave no SA, for the next try: each try would otherwise take another
     * slot of the host's SPI table until the tunnel ends (0: none).
     */
    private int spareSpi;
    /** When the CHILD SAs are due for our rekey and when they end; the tunnel's, carried across IKE SA rekeys. */
    private ChildTimers timers = ChildTimers.unlimited();

    /**
     * How long we wait for the answer to our n-th transmission of a request: 2, 4, 8, 16 then 16 s, about 46 s in
     * all before the peer counts as dead (RFC 7296 §2.1 leaves the schedule to us; strongSwan's own is 4 s × 1.8^n
     * over five retransmissions, ikev2.md §4.3).
     */
    static final long[] RETRANSMIT_MILLIS = {2_000, 4_000, 8_000, 16_000, 16_000};

    private record OurRequest(int messageId, byte[] message, long sentAt, int transmissions, Purpose purpose) {}

    /** What a request of ours is for: what its answer completes. */
    private sealed interface Purpose {}

    private record Liveness() implements Purpose {}

    /** Our CREATE_CHILD_SA rekey of {@code old}: the new SA's parameters until the answer gives the client's half. */
    private record RekeyChild(ChildSa old, int ourSpi, byte[] ni, EncryptionAlgorithm encryption,
            Optional<IntegrityAlgorithm> integrity, Optional<DhGroup> group, Optional<KeyExchange> keyExchange)
            implements Purpose {}

    /** Our D(ESP) of {@code old} after our rekey replaced it (or at its hard lifetime). */
    private record DeleteChild(ChildSa old) implements Purpose {}

    /** {@code cipher} must be the IKE SA's one instance (see {@link SkCipher}): {@link IkeAuthResponder#cipher()}. */
    public InformationalResponder(EstablishedIkeSa sa, SkCipher cipher, IkePolicy ikePolicy, ChildPolicy childPolicy,
            IkeAuthHost host, SecureRandom random) {
        this.sa = sa;
        this.cipher = cipher;
        this.ikePolicy = ikePolicy;
        this.childPolicy = childPolicy;
        this.host = host;
        this.random = random;
        this.expected = sa.nextMessageId();
        // A retransmitted last IKE_AUTH request gets its answer again (RFC 7296 §2.1).
        this.lastResponse = sa.authResponse();
        children.add(sa.child());
        timers.started(sa.child(), 0);
    }

    /**
     * The CHILD SAs' lifetimes from now on: the IKE_AUTH one's clocks start at {@code now}. Without this call the
     * responder rekeys only when the sequence numbers run out.
     */
    public InformationalResponder withTimers(ChildTimers childTimers, long now) {
        timers = childTimers;
        for (ChildSa c : children) {
            timers.started(c, now);
        }
        return this;
    }

    /** The earliest moment {@link #tick} has lifetime work to do ({@link Long#MAX_VALUE}: none). */
    public long nextTimer() {
        return timers.next();
    }

    /** The responder of an IKE SA that replaced another in a rekey: both directions start at Message ID 0. */
    public static InformationalResponder afterIkeRekey(IkeAction.IkeRekeyed rekeyed, IkePolicy ikePolicy,
            ChildPolicy childPolicy, IkeAuthHost host, SecureRandom random) {
        EstablishedIkeSa sa = rekeyed.replacement();
        InformationalResponder r = new InformationalResponder(sa,
                SkCipher.responder(sa.init().suite(), sa.init().keys(), random), ikePolicy, childPolicy, host, random);
        r.expected = 0;
        r.children.clear();
        r.children.addAll(rekeyed.children());
        r.timers = rekeyed.timers();
        return r;
    }

    /** The live CHILD SAs, oldest first. */
    public List<ChildSa> children() {
        return List.copyOf(children);
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
        if (h.initiatorSpi() != sa.init().initiatorSpi() || h.responderSpi() != sa.init().responderSpi()
                || msg.payloads().isEmpty()) {
            return dropped("not for this SA");
        }
        if (h.isResponse()) {
            // The answer to our own request (flags 0x28): it ends the liveness check once it decrypts.
            return answered(m, msg, now);
        }
        boolean retransmission = h.messageId() == expected - 1;
        if (h.messageId() != expected && !retransmission) {
            return dropped("Message ID " + Integer.toUnsignedLong(h.messageId()) + ", expected "
                    + Integer.toUnsignedLong(expected));
        }
        Payload last = msg.payloads().getLast();
        int first;
        byte[] inner;
        try {
            if (last instanceof EncryptedPayload sk) {
                inner = cipher.open(m, 0, m.length, sk);
                first = sk.firstInnerType();
            } else if (last instanceof EncryptedFragmentPayload skf) {
                byte[] piece = cipher.openFragment(m, 0, m.length, skf);
                if (retransmission) {
                    return skf.fragmentNumber() == 1 ? resend(d) : List.of();
                }
                Optional<FragmentReassembler.Reassembled> whole = fragments.offer(h.messageId(), skf, piece);
                if (whole.isEmpty()) {
                    return List.of();
                }
                inner = whole.get().inner();
                first = whole.get().firstInnerType();
            } else {
                return dropped("unprotected request");
            }
        } catch (IntegrityException | IkeException e) {
            return dropped(e.getMessage());
        }
        if (retransmission) {
            return resend(d);
        }
        expected++;
        List<Payload> request;
        try {
            request = PayloadChain.decode(inner, 0, inner.length, first, 0, true);
        } catch (IkeException e) {
            return answer(d, h, List.of(NotifyPayload.of(e.notifyType(), e.data())), List.of());
        }
        try {
            if (h.exchangeType() == ExchangeType.INFORMATIONAL.code()) {
                return informational(d, h, request);
            }
            if (h.exchangeType() == ExchangeType.CREATE_CHILD_SA.code()) {
                return createChildSa(d, h, new IkeMessage(h, request), now);
            }
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)), List.of());
        } catch (IkeException e) {
            // Authenticated but unacceptable (e.g. a KE value not in its group): tell the peer (RFC 7296 §2.21.2).
            return answer(d, h, List.of(NotifyPayload.of(e.notifyType(), e.data())), List.of());
        }
    }

    private List<IkeAction> informational(InboundDatagram d, IkeHeader h, List<Payload> request) {
        List<Payload> reply = new ArrayList<>();
        List<IkeAction> after = new ArrayList<>();
        for (Payload p : request) {
            if (p instanceof DeletePayload del && del.protocolId() == Proposal.PROTOCOL_IKE) {
                // RFC 7296 §1.4.1: answer with an empty INFORMATIONAL, then the SA and its CHILD SAs are gone.
                after.add(new IkeAction.Deleted(sa.init().responderSpi(), "client deleted the IKE SA"));
                return answer(d, h, List.of(), after);
            }
            if (p instanceof DeletePayload del && del.protocolId() == Proposal.PROTOCOL_ESP) {
                // Answer with our inbound SPIs of the same pairs (ikev2.md §7.2). After a rekey the old pair goes;
                // P2S has no use for an IKE SA without a tunnel, so deleting the last one ends the IKE SA.
                List<Integer> ours = new ArrayList<>();
                for (ChildSa c : List.copyOf(children)) {
                    if (del.espSpis().contains(c.outboundSpi())) {
                        ours.add(c.inboundSpi());
                        children.remove(c);
                        timers.forget(c);
                        after.add(new IkeAction.ChildDeleted(sa.init().responderSpi(), c));
                    }
                }
                if (!ours.isEmpty()) {
                    reply.add(DeletePayload.esp(ours));
                }
                if (children.isEmpty()) {
                    // RFC 7296 §1.4.1 lets an IKE SA live on without CHILD SAs, and strongSwan's responder keeps it.
                    // A P2S gateway does not: the IKE SA would hold the client's pool address and a connection slot
                    // with no tunnel, and we build no CHILD SA but the one of IKE_AUTH. No native client deletes its
                    // only CHILD SA to keep the IKE SA (Windows and Apple delete the IKE SA to disconnect); a client
                    // that does (swanctl --terminate --child) is told with our D(IKE), so it does not keep an IKE SA
                    // we forgot, and reconnects from scratch when it wants a tunnel again. The lease goes with the
                    // Deleted (the host closes the session).
                    List<IkeAction> out = answer(d, h, reply, after);
                    out.addAll(deleteIkeTo("client deleted its last CHILD SA; an IKE SA without a tunnel is of no use"
                            + " to a point-to-site client: deleting the IKE SA (RFC 7296 §1.4.1)", d.peer()));
                    return out;
                }
            } else if (p instanceof NotifyPayload n && n.known().map(NotifyType::isError).orElse(n.notifyType()
                    < NotifyType.FIRST_STATUS_TYPE)) {
                // E.g. the client refusing our AUTH after our IKE_AUTH response (ikev2.md §8).
                after.add(new IkeAction.Deleted(sa.init().responderSpi(), "client reported " + n));
            }
        }
        return answer(d, h, reply, after);
    }

    /**
     * CREATE_CHILD_SA: a CHILD SA rekey, {@code N(REKEY_SA) SA Ni [KE] TSi TSr} answered with {@code SA Nr [KE] TSi
     * TSr} and keys from prf+(SK_d, [g^ir |] Ni | Nr) (RFC 7296 §1.3.3, §2.17).
     */
    private List<IkeAction> createChildSa(InboundDatagram d, IkeHeader h, IkeMessage req, long now) {
        Optional<NotifyPayload> rekey = req.findNotify(NotifyType.REKEY_SA);
        List<SaPayload> sas = req.all(SaPayload.class);
        List<NoncePayload> nonces = req.all(NoncePayload.class);
        if (rekey.isEmpty() && sas.size() == 1 && nonces.size() == 1 && !sas.getFirst().proposals().isEmpty()
                && sas.getFirst().proposals().getFirst().protocolId() == Proposal.PROTOCOL_IKE) {
            if (outstanding != null && !(outstanding.purpose() instanceof Liveness)) {
                // Our CHILD SA exchange is under way: the CHILD SAs cannot move to a new IKE SA now (RFC 7296 §2.25.2).
                return answer(d, h, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)), List.of());
            }
            return rekeyIke(d, h, req, sas.getFirst(), nonces.getFirst().nonce());
        }
        if (rekey.isEmpty() || sas.size() != 1 || nonces.size() != 1) {
            // A second CHILD SA: not built (P2S needs one CHILD SA).
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.NO_ADDITIONAL_SAS)), List.of());
        }
        byte[] spi = rekey.get().spi();
        Optional<ChildSa> old = spi.length != 4 ? Optional.empty() : children.stream()
                .filter(c -> c.outboundSpi() == ByteBuffer.wrap(spi).getInt()).findFirst();
        if (old.isEmpty()) {
            NotifyPayload n = new NotifyPayload(Proposal.PROTOCOL_ESP, spi, NotifyType.CHILD_SA_NOT_FOUND.code(),
                    new byte[0]);
            return answer(d, h, List.of(n), List.of());
        }
        if (outstanding != null && (outstanding.purpose() instanceof RekeyChild ours && ours.old() == old.get()
                || outstanding.purpose() instanceof DeleteChild del && del.old() == old.get())) {
            // A simultaneous rekey (RFC 7296 §2.8.1), or a rekey of an SA we are deleting (§2.25.1): ours goes on,
            // the client tries again later and then finds the SA replaced.
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)), List.of());
        }
        Optional<KePayload> ke = req.first(KePayload.class);
        Optional<ProposalSelector.EspChoice> choice = ProposalSelector.selectEsp(sas.getFirst(), childPolicy,
                Optional.of(new ProposalSelector.PfsOffer(ke.map(KePayload::group).orElse(-1), ikePolicy.groups())));
        if (choice.isEmpty()) {
            for (DhGroup g : ikePolicy.groups()) {
                if (ProposalSelector.selectEsp(sas.getFirst(), childPolicy,
                        Optional.of(new ProposalSelector.PfsOffer(g.transformId(), ikePolicy.groups()))).isPresent()) {
                    byte[] group = {(byte) (g.transformId() >>> 8), (byte) g.transformId()};
                    return answer(d, h, List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, group)), List.of());
                }
            }
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)), List.of());
        }
        ProposalSelector.EspChoice c = choice.get();
        byte[] ni = nonces.getFirst().nonce();
        byte[] nr = new byte[IkeSaInitResponder.NONCE_LENGTH];
        random.nextBytes(nr);
        List<Payload> reply = new ArrayList<>();
        int ourSpi = host.newInboundSpi();
        reply.add(new SaPayload(List.of(c.reply(ourSpi))));
        reply.add(new NoncePayload(nr));
        Optional<byte[]> sharedSecret = Optional.empty();
        if (c.pfs().isPresent()) {
            KeyExchange ours = c.pfs().get().newKeyExchange(random);
            sharedSecret = Optional.of(ours.sharedSecret(ke.orElseThrow().keyData()));
            reply.add(new KePayload(c.pfs().get().transformId(), ours.publicValue()));
        }
        reply.add(new TrafficSelectorPayload(false, old.get().tsi()));
        reply.add(new TrafficSelectorPayload(true, old.get().tsr()));
        ChildKeys keys = KeyDerivation.childKeys(sa.init().suite().prf(), sa.init().keys().skD(), c.encryption(),
                c.integrity(), sharedSecret, ni, nr);
        sharedSecret.ifPresent(s -> Arrays.fill(s, (byte) 0));
        ChildSa replacement = new ChildSa(ourSpi, c.peerSpi(), c.encryption(), c.integrity(), keys, old.get().tsi(),
                old.get().tsr());
        children.add(replacement);
        timers.replaced(old.get());
        timers.started(replacement, now);
        return answer(d, h, reply,
                List.of(new IkeAction.ChildRekeyed(sa.init().responderSpi(), old.get(), replacement, false)));
    }

    /**
     * An IKE SA rekey (RFC 7296 §1.3.2, §2.18; ikev2.md §7.4): {@code SA(IKE, SPIi') Ni KE} answered with
     * {@code SA(IKE, SPIr') Nr KE}; SKEYSEED' = prf(SK_d, g^ir' | Ni | Nr), keys = prf+(SKEYSEED', Ni | Nr | SPIi' |
     * SPIr'). We keep the PRF of the old SA, as strongSwan uses the old PRF for both steps.
     */
    private List<IkeAction> rekeyIke(InboundDatagram d, IkeHeader h, IkeMessage req, SaPayload offer, byte[] ni) {
        Optional<KePayload> ke = req.first(KePayload.class);
        if (ke.isEmpty()) {
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)), List.of());
        }
        PrfAlgorithm prf = sa.init().suite().prf();
        IkePolicy samePrf = new IkePolicy(ikePolicy.encryptions(), ikePolicy.integrities(), List.of(prf),
                ikePolicy.groups(), List.of(), false, ikePolicy.cookieThreshold(), ikePolicy.halfOpenTimeout(),
                ikePolicy.cookieSecretLifetime());
        ProposalSelection selection = ProposalSelector.selectIke(offer, ke.get().group(), samePrf, 8);
        if (selection instanceof ProposalSelection.WrongGroup wrong) {
            byte[] group = {(byte) (wrong.group().transformId() >>> 8), (byte) wrong.group().transformId()};
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, group)), List.of());
        }
        if (!(selection instanceof ProposalSelection.Chosen chosen)) {
            return answer(d, h, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)), List.of());
        }
        Proposal offered = offer.proposals().stream().filter(p -> p.number() == chosen.reply().number())
                .findFirst().orElseThrow();
        long newSpiI = ByteBuffer.wrap(offered.spi()).getLong();
        long newSpiR;
        do {
            newSpiR = random.nextLong();
        } while (newSpiR == 0);
        IkeSuite suite = chosen.suite();
        KeyExchange ours = suite.group().newKeyExchange(random);
        byte[] gir = ours.sharedSecret(ke.get().keyData());
        byte[] nr = new byte[IkeSaInitResponder.NONCE_LENGTH];
        random.nextBytes(nr);
        byte[] skeyseed = KeyDerivation.rekeyedSkeyseed(prf, sa.init().keys().skD(), gir, ni, nr);
        IkeKeys keys = KeyDerivation.ikeKeys(suite, skeyseed, ni, nr, newSpiI, newSpiR);
        Arrays.fill(skeyseed, (byte) 0);
        Arrays.fill(gir, (byte) 0);
        Proposal reply = new Proposal(chosen.reply().number(), Proposal.PROTOCOL_IKE,
                ByteBuffer.allocate(8).putLong(newSpiR).array(), chosen.reply().transforms());
        HalfOpenIkeSa init = sa.init();
        HalfOpenIkeSa next = new HalfOpenIkeSa(newSpiI, newSpiR, d.peer(), init.local(), suite, keys, ni, nr,
                new byte[0], new byte[0], init.nat(), init.peerFragmentation(), init.peerSignatureHashes(), 0);
        EstablishedIkeSa replacement = new EstablishedIkeSa(next, d.peer(), sa.identity(), sa.clientCertificate(),
                sa.virtualAddress(), children.getLast(), false);
        List<ChildSa> moved = List.copyOf(children);
        // The CHILD SAs now belong to the new IKE SA; the old one's coming D(IKE) must not take them along.
        children.clear();
        return answer(d, h, List.of(new SaPayload(List.of(reply)), new NoncePayload(nr),
                new KePayload(suite.group().transformId(), ours.publicValue())),
                List.of(new IkeAction.IkeRekeyed(init.responderSpi(), replacement, moved, timers)));
    }

    /**
     * Dead peer detection (RFC 7296 §1.4, §2.4; ikev2.md §4.3): an empty INFORMATIONAL request under our own
     * Message ID counter, retransmitted by {@link #tick} until the client answers. The host asks for it when nothing
     * authenticated came from the client for a while. Nothing is sent while an earlier request waits (window of one).
     */
    public List<IkeAction> livenessCheck(long now) {
        if (outstanding != null) {
            return List.of();
        }
        return request(List.of(), new Liveness(), sa.peer(), now);
    }

    /** Whether a request of ours (a liveness check, a rekey, a delete) still waits for its answer. */
    public boolean awaitingAnswer() {
        return outstanding != null;
    }

    /**
     * The outbound sequence numbers of the CHILD SA with our inbound SPI {@code inboundSpi} near their end (RFC 4303
     * §3.3.3; {@code OutboundEspSa#rekeyNeeded}): the next {@link #tick} rekeys it, whatever its lifetime says.
     */
    public void sequenceNumbersRunningOut(int inboundSpi, long now) {
        if (!children.isEmpty() && children.getLast().inboundSpi() == inboundSpi) {
            timers.rekeySoon(children.getLast(), now);
        }
    }

    /**
     * Retransmits our outstanding request on schedule ({@link #RETRANSMIT_MILLIS}) to {@code peer} (where the client
     * is now); when the last wait runs out the client is gone and the IKE SA ends (RFC 7296 §2.4). With no request
     * outstanding, the CHILD SAs' lifetimes: a CHILD SA past its hard limit is deleted (the IKE SA with it, if it is
     * the one in use); the one in use past its soft limit is rekeyed.
     */
    public List<IkeAction> tick(long now, InetSocketAddress peer) {
        OurRequest r = outstanding;
        if (r == null) {
            return lifetimes(now, peer);
        }
        if (now - r.sentAt() < RETRANSMIT_MILLIS[r.transmissions() - 1]) {
            return List.of();
        }
        if (r.transmissions() >= RETRANSMIT_MILLIS.length) {
            outstanding = null;
            return List.of(new IkeAction.Deleted(sa.init().responderSpi(), "no answer to " + r.transmissions()
                    + " transmissions of our " + describe(r.purpose()) + ": the client is gone (dead peer detection)"));
        }
        outstanding = new OurRequest(r.messageId(), r.message(), now, r.transmissions() + 1, r.purpose());
        return List.of(new IkeAction.Send(r.message().clone(), peer, localFor(sa)));
    }

    private List<IkeAction> lifetimes(long now, InetSocketAddress peer) {
        if (children.isEmpty()) {
            return List.of();
        }
        ChildSa current = children.getLast();
        for (ChildSa c : children) {
            if (timers.expired(c, now)) {
                if (c != current) {
                    // Replaced, and the delete of it never came: it goes now (RFC 7296 §2.8).
                    return deleteChild(c, peer, now);
                }
                // RFC 4303 §3.3.3 / RFC 7296 §2.8: no traffic under an SA past its hard lifetime. Every rekey failed.
                return deleteIkeTo(c + " reached its hard lifetime without a rekey: deleting the IKE SA", peer);
            }
        }
        if (timers.rekeyDue(current, now)) {
            return rekeyChild(current, Optional.empty(), peer, now);
        }
        return List.of();
    }

    /**
     * Our CREATE_CHILD_SA rekey of {@code old} (RFC 7296 §1.3.3): {@code N(REKEY_SA, ESP, our inbound SPI of old)
     * SA(ESP, our new inbound SPI) Ni [KE] TSi TSr}. We offer the old SA's own algorithms, which the client accepted
     * once, with ESN "none"; without PFS unless the client asked for a group (INVALID_KE_PAYLOAD). TSi are the
     * initiator's, here ours: the old SA's TSr, and TSr the old SA's TSi (§2.9).
     */
    private List<IkeAction> rekeyChild(ChildSa old, Optional<DhGroup> group, InetSocketAddress peer, long now) {
        timers.replaced(old);
        int ourSpi = spareSpi != 0 ? spareSpi : host.newInboundSpi();
        spareSpi = 0;
        byte[] ni = new byte[IkeSaInitResponder.NONCE_LENGTH];
        random.nextBytes(ni);
        List<Transform> t = new ArrayList<>();
        t.add(Transform.of(TransformType.ENCR, old.encryption().transformId(), old.encryption().keyBits()));
        old.integrity().ifPresent(i -> t.add(Transform.of(TransformType.INTEG, i.transformId())));
        group.ifPresent(g -> t.add(Transform.of(TransformType.DH, g.transformId())));
        t.add(Transform.of(TransformType.ESN, 0));
        Proposal offer = new Proposal(1, Proposal.PROTOCOL_ESP, spiBytes(ourSpi), t);
        List<Payload> payloads = new ArrayList<>();
        payloads.add(new NotifyPayload(Proposal.PROTOCOL_ESP, spiBytes(old.inboundSpi()), NotifyType.REKEY_SA.code(),
                new byte[0]));
        payloads.add(new SaPayload(List.of(offer)));
        payloads.add(new NoncePayload(ni));
        Optional<KeyExchange> ke = group.map(g -> g.newKeyExchange(random));
        ke.ifPresent(k -> payloads.add(new KePayload(group.get().transformId(), k.publicValue())));
        payloads.add(new TrafficSelectorPayload(false, old.tsr()));
        payloads.add(new TrafficSelectorPayload(true, old.tsi()));
        return request(payloads, new RekeyChild(old, ourSpi, ni, old.encryption(), old.integrity(), group, ke), peer,
                now, ExchangeType.CREATE_CHILD_SA);
    }

    /** Our INFORMATIONAL {@code D(ESP, our inbound SPI of old)} (RFC 7296 §1.4.1, §3.11). */
    private List<IkeAction> deleteChild(ChildSa old, InetSocketAddress peer, long now) {
        timers.replaced(old);
        return request(List.of(DeletePayload.esp(List.of(old.inboundSpi()))), new DeleteChild(old), peer, now);
    }

    private List<IkeAction> request(List<Payload> payloads, Purpose purpose, InetSocketAddress peer, long now) {
        return request(payloads, purpose, peer, now, ExchangeType.INFORMATIONAL);
    }

    private List<IkeAction> request(List<Payload> payloads, Purpose purpose, InetSocketAddress peer, long now,
            ExchangeType type) {
        IkeHeader h = new IkeHeader(sa.init().initiatorSpi(), sa.init().responderSpi(), 0, IkeHeader.VERSION_2_0,
                type.code(), 0, ourNextMessageId++, 0);
        byte[] m = cipher.seal(h, payloads);
        outstanding = new OurRequest(h.messageId(), m, now, 1, purpose);
        return List.of(new IkeAction.Send(m.clone(), peer, localFor(sa)));
    }

    private List<IkeAction> answered(byte[] m, IkeMessage msg, long now) {
        OurRequest r = outstanding;
        if (r == null || msg.header().messageId() != r.messageId()) {
            return dropped("response to our request " + Integer.toUnsignedLong(msg.header().messageId())
                    + ", which is not outstanding");
        }
        List<Payload> payloads;
        try {
            if (!(msg.payloads().getLast() instanceof EncryptedPayload sk)) {
                return dropped("unprotected response");
            }
            byte[] inner = cipher.open(m, 0, m.length, sk);
            outstanding = null;
            payloads = PayloadChain.decode(inner, 0, inner.length, sk.firstInnerType(), 0, true);
        } catch (IntegrityException e) {
            return dropped(e.getMessage());
        } catch (IkeException e) {
            if (outstanding != null) {
                return dropped(e.getMessage());
            }
            // Authentic but not decodable: the exchange is over (RFC 7296 §2.21.2 has no answer to a response).
            payloads = List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX));
        }
        return switch (r.purpose()) {
            case Liveness l -> List.of();
            case RekeyChild rekey -> rekeyAnswered(rekey, new IkeMessage(msg.header(), payloads), now);
            case DeleteChild del -> {
                // Whatever it says (its D(ESP) of the pair, or nothing if it had deleted it already), the pair is gone.
                if (children.remove(del.old())) {
                    timers.forget(del.old());
                    yield List.of(new IkeAction.ChildDeleted(sa.init().responderSpi(), del.old()));
                }
                yield List.of();
            }
        };
    }

    /**
     * The client's answer to our CHILD SA rekey: {@code SA Nr [KE] TSi TSr}, keys prf+(SK_d, [g^ir |] Ni | Nr) with
     * our nonce first, split initiator→responder (here gateway→client, our outbound) first (RFC 7296 §2.17); then our
     * D(ESP) of the old SA (§2.8). An error notify: INVALID_KE_PAYLOAD asks again with the client's group; anything
     * else (NO_PROPOSAL_CHOSEN, TEMPORARY_FAILURE, ...) is retried a little later, until the hard lifetime.
     */
    private List<IkeAction> rekeyAnswered(RekeyChild rekey, IkeMessage resp, long now) {
        ChildSa old = rekey.old();
        InetSocketAddress peer = sa.peer();
        if (!children.contains(old)) {
            // The client deleted it meanwhile (and so the tunnel ends): nothing to replace.
            spareSpi = rekey.ourSpi();
            return List.of();
        }
        Optional<NotifyPayload> error = resp.all(NotifyPayload.class).stream()
                .filter(n -> n.notifyType() < NotifyType.FIRST_STATUS_TYPE).findFirst();
        if (error.isPresent()) {
            NotifyPayload n = error.get();
            if (n.is(NotifyType.INVALID_KE_PAYLOAD) && n.data().length == 2 && rekey.group().isEmpty()) {
                Optional<DhGroup> wanted = DhGroup.of((n.data()[0] & 0xFF) << 8 | (n.data()[1] & 0xFF))
                        .filter(ikePolicy.groups()::contains);
                if (wanted.isPresent()) {
                    spareSpi = rekey.ourSpi();
                    return rekeyChild(old, wanted, peer, now);
                }
            }
            return rekeyFailed(rekey, "the client answered " + n.known().map(Enum::name).orElse("notify "
                    + n.notifyType()), now);
        }
        List<SaPayload> sas = resp.all(SaPayload.class);
        Optional<NoncePayload> nr = resp.first(NoncePayload.class);
        if (sas.size() != 1 || sas.getFirst().proposals().size() != 1 || nr.isEmpty()) {
            return rekeyFailed(rekey, "the client's answer has no single SA proposal and nonce", now);
        }
        Proposal chosen = sas.getFirst().proposals().getFirst();
        if (chosen.protocolId() != Proposal.PROTOCOL_ESP || chosen.spi().length != 4
                || !chosen.transformsOf(TransformType.ENCR).equals(List.of(Transform.of(TransformType.ENCR,
                        rekey.encryption().transformId(), rekey.encryption().keyBits())))
                || !chosen.transformsOf(TransformType.INTEG).equals(rekey.integrity()
                        .map(i -> List.of(Transform.of(TransformType.INTEG, i.transformId()))).orElse(List.of()))) {
            return rekeyFailed(rekey, "the client chose what we did not offer: " + ProposalSelector.describe(chosen), now);
        }
        Optional<byte[]> gir = Optional.empty();
        if (rekey.keyExchange().isPresent()) {
            Optional<KePayload> ke = resp.first(KePayload.class);
            if (ke.isEmpty() || ke.get().group() != rekey.group().orElseThrow().transformId()) {
                return rekeyFailed(rekey, "the client's answer lacks the KE of group " + rekey.group().get(), now);
            }
            try {
                gir = Optional.of(rekey.keyExchange().get().sharedSecret(ke.get().keyData()));
            } catch (IkeException e) {
                return rekeyFailed(rekey, "the client's KE is invalid: " + e.getMessage(), now);
            }
        }
        ChildKeys exchangeOrder = KeyDerivation.childKeys(sa.init().suite().prf(), sa.init().keys().skD(),
                rekey.encryption(), rekey.integrity(), gir, rekey.ni(), nr.get().nonce());
        gir.ifPresent(s -> Arrays.fill(s, (byte) 0));
        // ChildSa keeps client→gateway keys first; in this exchange we are the initiator, so they come second.
        ChildKeys keys = new ChildKeys(exchangeOrder.encryptionResponder(), exchangeOrder.integrityResponder(),
                exchangeOrder.encryptionInitiator(), exchangeOrder.integrityInitiator());
        ChildSa replacement = new ChildSa(rekey.ourSpi(), ByteBuffer.wrap(chosen.spi()).getInt(), rekey.encryption(),
                rekey.integrity(), keys, old.tsi(), old.tsr());
        children.add(replacement);
        timers.started(replacement, now);
        List<IkeAction> out = new ArrayList<>();
        out.add(new IkeAction.ChildRekeyed(sa.init().responderSpi(), old, replacement, true));
        out.addAll(deleteChild(old, peer, now));
        return out;
    }

    private List<IkeAction> rekeyFailed(RekeyChild rekey, String reason, long now) {
        spareSpi = rekey.ourSpi();
        timers.retryLater(rekey.old(), now);
        return List.of(new IkeAction.ChildRekeyFailed(sa.init().responderSpi(), rekey.old(), reason));
    }

    private static String describe(Purpose p) {
        return switch (p) {
            case Liveness l -> "liveness check";
            case RekeyChild r -> "rekey of " + r.old();
            case DeleteChild d -> "delete of " + d.old();
        };
    }

    private static byte[] spiBytes(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }

    /** Our INFORMATIONAL request with D(IKE): revocation, admin disconnect, pool reclaim (ikev2.md §7.2). */
    public List<IkeAction> deleteIke(String reason) {
        return deleteIkeTo(reason, sa.peer());
    }

    /** D(IKE) to {@code peer} under our next Message ID; tear down at once, not waiting for the answer (§7.2). */
    private List<IkeAction> deleteIkeTo(String reason, InetSocketAddress peer) {
        IkeHeader h = new IkeHeader(sa.init().initiatorSpi(), sa.init().responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.INFORMATIONAL.code(), 0, ourNextMessageId++, 0);
        byte[] m = cipher.seal(h, List.of(DeletePayload.ike()));
        return List.of(new IkeAction.Send(m, peer, localFor(sa)),
                new IkeAction.Deleted(sa.init().responderSpi(), reason));
    }

    private static java.net.InetSocketAddress localFor(EstablishedIkeSa sa) {
        // After IKE_SA_INIT every exchange runs on 4500 (ikev2.md §5.3).
        return new java.net.InetSocketAddress(sa.init().local().getAddress(), 4500);
    }

    private List<IkeAction> answer(InboundDatagram d, IkeHeader request, List<Payload> reply, List<IkeAction> after) {
        IkeHeader h = new IkeHeader(request.initiatorSpi(), request.responderSpi(), 0, IkeHeader.VERSION_2_0,
                request.exchangeType(), IkeHeader.FLAG_RESPONSE, request.messageId(), 0);
        lastResponse = List.of(cipher.seal(h, reply));
        List<IkeAction> out = new ArrayList<>(resend(d));
        out.addAll(after);
        return out;
    }

    private List<IkeAction> resend(InboundDatagram d) {
        List<IkeAction> out = new ArrayList<>();
        for (byte[] m : lastResponse) {
            out.add(new IkeAction.Send(m.clone(), d.peer(), d.local()));
        }
        return out;
    }

    private static List<IkeAction> dropped(String reason) {
        return List.of(new IkeAction.Dropped(reason));
    }
}
