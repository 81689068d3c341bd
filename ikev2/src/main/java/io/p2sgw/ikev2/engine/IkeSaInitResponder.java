package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.IkeKeys;
import io.p2sgw.ikev2.crypto.IkeSuite;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.KeyExchange;
import io.p2sgw.ikev2.wire.CertRequestPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeException;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.KePayload;
import io.p2sgw.ikev2.wire.NoncePayload;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.SaPayload;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sans-I/O IKE_SA_INIT responder (RFC 7296 §1.2, §2.2 of ikev2.md): an IKE_SA_INIT request in, actions out.
 * It chooses the proposal (NO_PROPOSAL_CHOSEN with a log line of the offer when nothing fits), steers the DH group
 * with INVALID_KE_PAYLOAD, demands a stateless COOKIE once {@link IkePolicy#cookieThreshold()} SAs are half-open
 * (§2.6), computes NAT detection (§2.23), announces fragmentation only to peers that do (RFC 7383 §2.3), derives the
 * IKE SA keys, and answers a retransmitted request with the byte-identical response (§2.1). Error answers keep no
 * state. Messages that are not IKE_SA_INIT requests are not its business and are reported as dropped. Before it
 * creates a half-open SA it asks the host's {@link HalfOpenGate} (the core's pre-authentication budget); a no is
 * dropped unanswered. It logs no refusal itself: the host does, at a bounded rate, from the actions' details.
 *
 * <p>Time is the caller's monotonic milliseconds; randomness is injected. Confined to one thread.
 */
public final class IkeSaInitResponder {
    private static final Logger LOG = LoggerFactory.getLogger(IkeSaInitResponder.class);
    /** We send 32-byte nonces, as strongSwan does (ikev2.md §1.5). */
    public static final int NONCE_LENGTH = 32;

    private final IkePolicy policy;
    private final SecureRandom random;
    private final HalfOpenGate gate;
    private final CookieJar cookies;
    /** Half-open SAs in creation order, so expiry pops from the head. */
    private final Map<HalfOpenKey, HalfOpen> halfOpen = new LinkedHashMap<>();

    private record HalfOpenKey(long initiatorSpi, InetSocketAddress peer) {}

    private record HalfOpen(byte[] request, byte[] response, long responderSpi, long createdAt) {}

    /** A responder whose half-open SAs are bounded only by the cookie threshold (tests, the lab). */
    public IkeSaInitResponder(IkePolicy policy, SecureRandom random) {
        this(policy, random, HalfOpenGate.OPEN);
    }

    /** @param gate asked once per half-open SA about to be created; a no keeps no state and answers nothing */
    public IkeSaInitResponder(IkePolicy policy, SecureRandom random, HalfOpenGate gate) {
        this.policy = policy;
        this.random = random;
        this.gate = gate;
        this.cookies = new CookieJar(random, policy.cookieSecretLifetime().toMillis());
    }

    /** Half-open SAs not yet expired at {@code now}. */
    public int halfOpenCount(long now) {
        expire(now, new ArrayList<>());
        return halfOpen.size();
    }

    /** The half-open SA reached IKE_AUTH's end (established or refused): it no longer counts towards cookies. */
    public void completed(long initiatorSpi, InetSocketAddress peer) {
        halfOpen.remove(new HalfOpenKey(initiatorSpi, peer));
    }

    /** Expires half-open SAs older than {@link IkePolicy#halfOpenTimeout()}; the host drops their state. */
    public List<IkeAction> tick(long now) {
        List<IkeAction> out = new ArrayList<>();
        expire(now, out);
        return out;
    }

    private void expire(long now, List<IkeAction> out) {
        long timeout = policy.halfOpenTimeout().toMillis();
        Iterator<Map.Entry<HalfOpenKey, HalfOpen>> it = halfOpen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<HalfOpenKey, HalfOpen> e = it.next();
            if (now - e.getValue().createdAt() < timeout) {
                break;
            }
            it.remove();
            out.add(new IkeAction.Dropped(String.format("half-open IKE SA %016x expired",
                    e.getValue().responderSpi())));
        }
    }

    public List<IkeAction> receive(InboundDatagram datagram, long now) {
        byte[] m = datagram.message();
        if (m.length < IkeHeader.LENGTH) {
            return List.of(new IkeAction.Dropped("datagram of " + m.length + " bytes"));
        }
        ByteBuffer raw = ByteBuffer.wrap(m);
        long spiI = raw.getLong(0);
        long spiR = raw.getLong(8);
        int exchange = m[18] & 0xFF;
        int flags = m[19] & 0xFF;
        int messageId = raw.getInt(20);
        if (exchange != ExchangeType.IKE_SA_INIT.code() || (flags & IkeHeader.FLAG_RESPONSE) != 0) {
            return List.of(new IkeAction.Dropped("not an IKE_SA_INIT request"));
        }
        if (spiI == 0 || spiR != 0 || messageId != 0 || (flags & IkeHeader.FLAG_INITIATOR) == 0) {
            return List.of(new IkeAction.Dropped("IKE_SA_INIT request with bad SPIs, Message ID or flags"));
        }
        expire(now, new ArrayList<>());
        HalfOpenKey key = new HalfOpenKey(spiI, datagram.peer());
        HalfOpen known = halfOpen.get(key);
        if (known != null) {
            // RFC 7296 §2.1: a retransmission gets the same bytes again, and creates nothing.
            return Arrays.equals(known.request(), m)
                    ? List.of(new IkeAction.Send(known.response().clone(), datagram.peer(), datagram.local()))
                    : List.of(new IkeAction.Dropped("a different IKE_SA_INIT for a half-open SA"));
        }
        IkeMessage request;
        try {
            request = IkeMessage.decode(m, 0, m.length);
        } catch (IkeException e) {
            return refuse(datagram, spiI, e.notifyType(), e.data(), e.getMessage());
        }
        try {
            return respond(datagram, request, m, key, now);
        } catch (IkeException e) {
            return refuse(datagram, spiI, e.notifyType(), e.data(), e.getMessage());
        }
    }

    private List<IkeAction> respond(InboundDatagram d, IkeMessage request, byte[] m, HalfOpenKey key, long now) {
        SaPayload sa = exactlyOne(request, SaPayload.class);
        KePayload ke = exactlyOne(request, KePayload.class);
        NoncePayload ni = exactlyOne(request, NoncePayload.class);
        long spiI = request.header().initiatorSpi();

        if (halfOpen.size() >= policy.cookieThreshold()) {
            Optional<NotifyPayload> cookie = request.payloads().getFirst() instanceof NotifyPayload n
                    && n.is(NotifyType.COOKIE) ? Optional.of(n) : Optional.empty();
            if (cookie.isEmpty() || !cookies.verify(cookie.get().data(), ni.nonce(), d.peer(), spiI, now)) {
                return refuse(d, spiI, NotifyType.COOKIE, cookies.issue(ni.nonce(), d.peer(), spiI, now),
                        halfOpen.size() + " half-open SAs; " + (cookie.isEmpty() ? "cookie demanded" : "bad cookie"));
            }
        }

        ProposalSelection selection = ProposalSelector.selectIke(sa, ke.group(), policy);
        IkeSuite suite;
        Payload replyProposal;
        switch (selection) {
            case ProposalSelection.NoneAcceptable none -> {
                // What was offered and what we accept go in the detail, which the host logs at a bounded rate (anyone
                // can send IKE_SA_INITs, so the engine logs no refusal itself).
                return refuse(d, spiI, NotifyType.NO_PROPOSAL_CHOSEN, new byte[0], "offered " + none.offered()
                        + "; we accept ENCR " + policy.encryptions() + " INTEG " + policy.integrities() + " PRF "
                        + policy.prfs() + " DH " + policy.groups());
            }
            case ProposalSelection.WrongGroup wrong -> {
                byte[] group = {(byte) (wrong.group().transformId() >>> 8), (byte) wrong.group().transformId()};
                return refuse(d, spiI, NotifyType.INVALID_KE_PAYLOAD, group,
                        "KE group " + ke.group() + ", we want " + wrong.group());
            }
            case ProposalSelection.Chosen chosen -> {
                suite = chosen.suite();
                replyProposal = new SaPayload(List.of(chosen.reply()));
            }
        }
        // RFC 7296 §2.10: the nonce is at least half the negotiated PRF's key size.
        if (ni.nonce().length < suite.prf().outputLength() / 2) {
            throw IkeException.syntax("nonce of " + ni.nonce().length + " bytes for " + suite.prf());
        }
        // Everything that answers without state is behind us; the rest creates a half-open SA, so it needs a place
        // (the core's pre-authentication budget). Asked before the DH, which is the costly part. Without a place we
        // answer nothing: the client retransmits, and a place may be free by then (RFC 7296 §2.4).
        if (!gate.mayCreate(d.peer())) {
            return List.of(new IkeAction.Dropped("no place for another half-open IKE SA from " + d.peer()));
        }

        KeyExchange ours = suite.group().newKeyExchange(random);
        byte[] sharedSecret = ours.sharedSecret(ke.keyData());
        long spiR = newSpi();
        byte[] nr = new byte[NONCE_LENGTH];
        random.nextBytes(nr);
        NatDetection.Result nat = NatDetection.evaluate(request, d.peer(), d.local());
        boolean fragmentation = policy.fragmentation()
                && request.findNotify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent();

        // The order strongSwan accepted: SA KE Nr N(NATD_S) N(NATD_D) CERTREQ N(FRAG_SUP) N(HASH_ALG) (ikev2.md §2.2).
        List<Payload> reply = new ArrayList<>();
        reply.add(replyProposal);
        reply.add(new KePayload(suite.group().transformId(), ours.publicValue()));
        reply.add(new NoncePayload(nr));
        if (nat.supported()) {
            reply.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, NatDetection.hash(spiI, spiR, d.local())));
            reply.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP,
                    NatDetection.hash(spiI, spiR, d.peer())));
        }
        if (!policy.trustedRootSpkiSha1().isEmpty()) {
            ByteArrayOutputStream cas = new ByteArrayOutputStream();
            policy.trustedRootSpkiSha1().forEach(cas::writeBytes);
            reply.add(new CertRequestPayload(CertPayload.X509_SIGNATURE, cas.toByteArray()));
        }
        if (fragmentation) {
            reply.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
        reply.add(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, IkePolicy.SIGNATURE_HASHES));
        byte[] response = IkeMessage.toBytes(new IkeHeader(spiI, spiR, 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_SA_INIT.code(), IkeHeader.FLAG_RESPONSE, 0, 0), reply);

        byte[] skeyseed = KeyDerivation.skeyseed(suite.prf(), ni.nonce(), nr, sharedSecret);
        IkeKeys keys = KeyDerivation.ikeKeys(suite, skeyseed, ni.nonce(), nr, spiI, spiR);
        Arrays.fill(skeyseed, (byte) 0);
        Arrays.fill(sharedSecret, (byte) 0);

        halfOpen.put(key, new HalfOpen(m, response, spiR, now));
        HalfOpenIkeSa state = new HalfOpenIkeSa(spiI, spiR, d.peer(), d.local(), suite, keys, ni.nonce(), nr, m,
                response.clone(), nat, fragmentation, signatureHashes(request), now);
        LOG.debug("IKE_SA_INIT from {}: {}", d.peer(), state);
        return List.of(new IkeAction.Send(response.clone(), d.peer(), d.local()), new IkeAction.HalfOpenCreated(state));
    }

    private long newSpi() {
        long spi;
        do {
            spi = random.nextLong();
        } while (spi == 0);
        return spi;
    }

    private static <T extends Payload> T exactlyOne(IkeMessage m, Class<T> kind) {
        List<T> all = m.all(kind);
        if (all.size() != 1) {
            throw IkeException.syntax(all.size() + " " + kind.getSimpleName() + " in IKE_SA_INIT");
        }
        return all.getFirst();
    }

    private static int[] signatureHashes(IkeMessage request) {
        return request.findNotify(NotifyType.SIGNATURE_HASH_ALGORITHMS).map(n -> {
            byte[] data = n.data();
            int[] ids = new int[data.length / 2];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (data[2 * i] & 0xFF) << 8 | (data[2 * i + 1] & 0xFF);
            }
            return ids;
        }).orElse(new int[0]);
    }

    /** An unencrypted response with only the error (or COOKIE) notify, SPIr 0 (RFC 7296 §1.2, §2.6). */
    private List<IkeAction> refuse(InboundDatagram d, long spiI, NotifyType notify, byte[] data, String detail) {
        byte[] response = IkeMessage.toBytes(new IkeHeader(spiI, 0, 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_SA_INIT.code(), IkeHeader.FLAG_RESPONSE, 0, 0),
                List.of(NotifyPayload.of(notify, data)));
        return List.of(new IkeAction.Send(response, d.peer(), d.local()), new IkeAction.Refused(notify, detail));
    }
}
