package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IkeSuite;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.crypto.PrfAlgorithm;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the IKE SA proposal of an IKE_SA_INIT request (RFC 7296 §2.7, §3.3; ikev2.md §2.2 step 3, pitfalls §10.7
 * and §10.8). Within each proposal the transforms of a type are alternatives; we take our most preferred one of each
 * type. A proposal that names a type we do not know is refused whole (§3.3.6). Among acceptable proposals, one whose
 * DH list holds the KE payload's group is preferred, so the client needs no second round trip; then the one with our
 * best cipher; then the client's order.
 */
public final class ProposalSelector {
    private ProposalSelector() {}

    public static ProposalSelection selectIke(SaPayload offer, int keGroup, IkePolicy policy) {
        return selectIke(offer, keGroup, policy, 0);
    }

    /**
     * As above with the SPI size proposals must have: 0 in IKE_SA_INIT, 8 in an IKE SA rekey (RFC 7296 §3.3.1). The
     * reply proposal carries no SPI; the caller adds its own.
     */
    static ProposalSelection selectIke(SaPayload offer, int keGroup, IkePolicy policy, int spiSize) {
        Optional<IkeSuite> bestWithKe = Optional.empty();
        Optional<Proposal> bestWithKeProposal = Optional.empty();
        Optional<IkeSuite> bestAny = Optional.empty();
        for (Proposal p : offer.proposals()) {
            if (p.protocolId() != Proposal.PROTOCOL_IKE || p.spi().length != spiSize) {
                continue;
            }
            Optional<IkeSuite> suite = match(p, policy, Optional.of(keGroup));
            if (suite.isPresent() && (bestWithKe.isEmpty() || rank(suite.get(), policy) < rank(bestWithKe.get(),
                    policy))) {
                bestWithKe = suite;
                bestWithKeProposal = Optional.of(p);
            }
            Optional<IkeSuite> any = match(p, policy, Optional.empty());
            if (any.isPresent() && (bestAny.isEmpty() || rank(any.get(), policy) < rank(bestAny.get(), policy))) {
                bestAny = any;
            }
        }
        if (bestWithKe.isPresent()) {
            return new ProposalSelection.Chosen(bestWithKe.get(), reply(bestWithKeProposal.get(), bestWithKe.get()));
        }
        if (bestAny.isPresent()) {
            return new ProposalSelection.WrongGroup(bestAny.get().group());
        }
        return new ProposalSelection.NoneAcceptable(describe(offer));
    }

    /** Lower is better: our cipher preference first, then integrity, then PRF (Windows sends every combination). */
    private static int rank(IkeSuite s, IkePolicy policy) {
        int integ = s.integrity().map(policy.integrities()::indexOf).orElse(0);
        return (policy.encryptions().indexOf(s.encryption()) * 64 + integ) * 64 + policy.prfs().indexOf(s.prf());
    }

    /** Our best transform of each type in {@code p}; with {@code keGroup}, only that group counts for DH. */
    static Optional<IkeSuite> match(Proposal p, IkePolicy policy, Optional<Integer> keGroup) {
        for (Transform t : p.transforms()) {
            if (t.type() < TransformType.ENCR || t.type() > TransformType.ESN) {
                return Optional.empty();
            }
        }
        Optional<EncryptionAlgorithm> encr = best(policy.encryptions(), p.transformsOf(TransformType.ENCR),
                (a, t) -> a.transformId() == t.id() && a.keyBits() == t.keyLength());
        Optional<PrfAlgorithm> prf = best(policy.prfs(), p.transformsOf(TransformType.PRF),
                (a, t) -> a.transformId() == t.id() && t.keyLength() == Transform.NO_KEY_LENGTH);
        Optional<DhGroup> group = best(policy.groups(), p.transformsOf(TransformType.DH),
                (a, t) -> a.transformId() == t.id() && keGroup.map(k -> k == t.id()).orElse(true));
        if (encr.isEmpty() || prf.isEmpty() || group.isEmpty()) {
            return Optional.empty();
        }
        List<Transform> integ = p.transformsOf(TransformType.INTEG);
        if (encr.get().isAead()) {
            // RFC 5282 §8: an AEAD proposal carries no INTEG, or only "NONE" (0).
            if (integ.stream().anyMatch(t -> t.id() != 0)) {
                return Optional.empty();
            }
            return Optional.of(IkeSuite.aead(encr.get(), prf.get(), group.get()));
        }
        Optional<IntegrityAlgorithm> i = best(policy.integrities(), integ,
                (a, t) -> a.transformId() == t.id() && t.keyLength() == Transform.NO_KEY_LENGTH);
        return i.map(x -> IkeSuite.classic(encr.get(), x, prf.get(), group.get()));
    }

    private interface Fits<A> {
        boolean test(A algorithm, Transform offered);
    }

    private static <A> Optional<A> best(List<A> ours, List<Transform> offered, Fits<A> fits) {
        for (A a : ours) {
            for (Transform t : offered) {
                if (!t.unknownAttribute() && fits.test(a, t)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /** One proposal, numbered as the chosen one, SPI size 0, exactly one transform per type (pitfall §10.7). */
    static Proposal reply(Proposal chosen, IkeSuite suite) {
        List<Transform> t = new ArrayList<>();
        t.add(Transform.of(TransformType.ENCR, suite.encryption().transformId(), suite.encryption().keyBits()));
        suite.integrity().ifPresent(i -> t.add(Transform.of(TransformType.INTEG, i.transformId())));
        t.add(Transform.of(TransformType.PRF, suite.prf().transformId()));
        t.add(Transform.of(TransformType.DH, suite.group().transformId()));
        return new Proposal(chosen.number(), Proposal.PROTOCOL_IKE, new byte[0], t);
    }

    /** The chosen ESP proposal of a CHILD SA offer: its number, the client's SPI, our algorithms, whether ESN was offered. */
    record EspChoice(int number, int peerSpi, EncryptionAlgorithm encryption, Optional<IntegrityAlgorithm> integrity,
            boolean esnTransform, Optional<DhGroup> pfs) {
        /** Our answer: the same number, our inbound SPI, one transform per type, ESN "none" if it was offered. */
        Proposal reply(int ourSpi) {
            List<Transform> t = new ArrayList<>();
            t.add(Transform.of(TransformType.ENCR, encryption.transformId(), encryption.keyBits()));
            integrity.ifPresent(i -> t.add(Transform.of(TransformType.INTEG, i.transformId())));
            pfs.ifPresent(g -> t.add(Transform.of(TransformType.DH, g.transformId())));
            if (esnTransform) {
                t.add(Transform.of(TransformType.ESN, 0));
            }
            byte[] spi = {(byte) (ourSpi >>> 24), (byte) (ourSpi >>> 16), (byte) (ourSpi >>> 8), (byte) ourSpi};
            return new Proposal(number, Proposal.PROTOCOL_ESP, spi, t);
        }
    }

    /**
     * Chooses an ESP proposal for the CHILD SA created in IKE_AUTH (RFC 7296 §1.2, §3.3; ikev2.md §2.3 step 9): SPI
     * size 4, one of our ciphers, an INTEG for non-AEAD ciphers, ESN "none" if ESN is listed (we do not do ESN), and
     * no DH beyond "none" (IKE_AUTH carries no KE). Our cipher preference first, then the client's order.
     */
    public static Optional<EspChoice> selectEsp(SaPayload offer, ChildPolicy policy) {
        return selectEsp(offer, policy, Optional.empty());
    }

    /**
     * As {@link #selectEsp(SaPayload, ChildPolicy)} for a CREATE_CHILD_SA, where a proposal may carry DH groups
     * (PFS, RFC 7296 §1.3.1): with {@code keGroup} (the KE payload's group) a proposal listing that group, if we accept
     * it in {@code groups}, is taken with PFS; a proposal without DH (or with "none") is taken without.
     */
    static Optional<EspChoice> selectEsp(SaPayload offer, ChildPolicy policy, Optional<PfsOffer> pfs) {
        Optional<EspChoice> best = Optional.empty();
        int bestRank = Integer.MAX_VALUE;
        for (Proposal p : offer.proposals()) {
            if (p.protocolId() != Proposal.PROTOCOL_ESP || p.spi().length != 4) {
                continue;
            }
            if (p.transforms().stream().anyMatch(t -> t.type() < TransformType.ENCR || t.type() > TransformType.ESN
                    || t.type() == TransformType.PRF)) {
                continue;
            }
            List<Transform> dh = p.transformsOf(TransformType.DH);
            Optional<DhGroup> group = Optional.empty();
            if (!dh.isEmpty() && dh.stream().noneMatch(t -> t.id() == 0)) {
                if (pfs.isEmpty()) {
                    continue;
                }
                group = dh.stream().filter(t -> t.id() == pfs.get().keGroup()).findFirst()
                        .flatMap(t -> DhGroup.of(t.id())).filter(pfs.get().groups()::contains);
                if (group.isEmpty()) {
                    continue;
                }
            }
            Optional<EncryptionAlgorithm> encr = best(policy.encryptions(), p.transformsOf(TransformType.ENCR),
                    (a, t) -> a.transformId() == t.id() && a.keyBits() == t.keyLength());
            List<Transform> esn = p.transformsOf(TransformType.ESN);
            if (encr.isEmpty() || !esn.isEmpty() && esn.stream().noneMatch(t -> t.id() == 0)) {
                continue;
            }
            Optional<IntegrityAlgorithm> integ = Optional.empty();
            if (!encr.get().isAead()) {
                integ = best(policy.integrities(), p.transformsOf(TransformType.INTEG),
                        (a, t) -> a.transformId() == t.id() && t.keyLength() == Transform.NO_KEY_LENGTH);
                if (integ.isEmpty()) {
                    continue;
                }
            } else if (p.transformsOf(TransformType.INTEG).stream().anyMatch(t -> t.id() != 0)) {
                continue;
            }
            int rank = policy.encryptions().indexOf(encr.get()) * 64
                    + integ.map(policy.integrities()::indexOf).orElse(0);
            if (rank < bestRank) {
                bestRank = rank;
                int spi = java.nio.ByteBuffer.wrap(p.spi()).getInt();
                best = Optional.of(new EspChoice(p.number(), spi, encr.get(), integ, !esn.isEmpty(), group));
            }
        }
        return best;
    }

    /** The KE payload's group of a CREATE_CHILD_SA request and the groups we accept for PFS. */
    record PfsOffer(int keGroup, List<DhGroup> groups) {}

    /** "#1 IKE ENCR=12/128,12/256 INTEG=12 PRF=5 DH=31,14; #2 ...": ids as on the wire, for the refusal log line. */
    public static String describe(SaPayload offer) {
        return offer.proposals().stream().map(ProposalSelector::describe).collect(Collectors.joining("; "));
    }

    static String describe(Proposal p) {
        StringBuilder s = new StringBuilder("#").append(p.number()).append(' ').append(switch (p.protocolId()) {
            case Proposal.PROTOCOL_IKE -> "IKE";
            case Proposal.PROTOCOL_ESP -> "ESP";
            case Proposal.PROTOCOL_AH -> "AH";
            default -> "proto" + p.protocolId();
        });
        for (int type = TransformType.ENCR; type <= TransformType.ESN; type++) {
            List<Transform> ts = p.transformsOf(type);
            if (!ts.isEmpty()) {
                s.append(' ').append(TransformType.name(type)).append('=').append(ts.stream()
                        .map(t -> t.id() + (t.keyLength() != Transform.NO_KEY_LENGTH ? "/" + t.keyLength() : ""))
                        .collect(Collectors.joining(",")));
            }
        }
        return s.toString();
    }
}
