package io.p2sgw.sstp.ppp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * LCP options for an SSTP server (RFC 1661 §6, sstp.md §4.2). We ask for MRU, Auth-Protocol = EAP and a Magic-Number.
 * From the peer we accept MRU (128..4087: a frame of MRU + {@code FF 03} + protocol must fit SSTP's 4091 bytes), ACCM
 * (meaningless on SSTP, harmless) and Magic-Number, and reject everything else: Auth-Protocol (we do not authenticate
 * to the client), PFC and ACFC (so frames keep {@code FF 03} and 2-byte protocols), Callback, the multilink options.
 */
public final class LcpPolicy implements OptionPolicy {
    public static final int MRU = 1;
    public static final int ACCM = 2;
    public static final int AUTH_PROTOCOL = 3;
    public static final int MAGIC_NUMBER = 5;
    public static final int PFC = 7;
    public static final int ACFC = 8;
    /** RFC 1661 §6.1 default when the peer sends no MRU. */
    public static final int DEFAULT_MRU = 1500;
    /** sstp.md §4.2 (SoftEther and RFC 1661 minimum conventions). */
    public static final int MIN_MRU = 128;
    /** 4091-byte SSTP payload minus {@code FF 03} and a 2-byte protocol (sstp.md §7 pitfall 15). */
    public static final int MAX_MRU = 4087;

    private final IntSupplier random;
    private int ourMru;
    private int ourMagic;
    private boolean sendMru = true;
    private boolean sendMagic = true;
    private int peerMru = DEFAULT_MRU;
    private int peerMagic;
    private String failure = "";

    /**
     * @param mru the MRU we ask for (what we can receive)
     * @param random the source of Magic-Numbers (a fresh one after a NAK, RFC 1661 §6.4)
     */
    public LcpPolicy(int mru, IntSupplier random) {
        if (mru < MIN_MRU || mru > MAX_MRU) {
            throw new IllegalArgumentException("MRU " + mru);
        }
        this.ourMru = mru;
        this.random = random;
        this.ourMagic = nonZero();
    }

    /** The largest PPP information field we may send to the peer. */
    public int peerMru() {
        return peerMru;
    }

    /** Our Magic-Number, or 0 once the peer rejected the option (for Echo-Reply, RFC 1661 §5.8). */
    public int ourMagic() {
        return sendMagic ? ourMagic : 0;
    }

    @Override
    public List<CpOption> request() {
        List<CpOption> r = new ArrayList<>(3);
        if (sendMru) {
            r.add(CpOption.u16(MRU, ourMru));
        }
        r.add(CpOption.u16(AUTH_PROTOCOL, PppProtocol.EAP));
        if (sendMagic) {
            r.add(CpOption.u32(MAGIC_NUMBER, ourMagic));
        }
        return r;
    }

    @Override
    public Reply judge(List<CpOption> peer) {
        List<CpOption> reject = new ArrayList<>();
        List<CpOption> nak = new ArrayList<>();
        int mru = DEFAULT_MRU;
        int magic = 0;
        for (CpOption o : peer) {
            switch (o.type()) {
                case MRU -> {
                    if (o.data().length != 2) {
                        reject.add(o);
                    } else {
                        mru = (int) o.value();
                        if (mru < MIN_MRU || mru > MAX_MRU) {
                            nak.add(CpOption.u16(MRU, Math.clamp(mru, MIN_MRU, MAX_MRU)));
                        }
                    }
                }
                case ACCM -> {
                    if (o.data().length != 4) {
                        reject.add(o);
                    }
                }
                case MAGIC_NUMBER -> {
                    if (o.data().length != 4) {
                        reject.add(o);
                    } else {
                        magic = (int) o.value();
                        if (magic == 0 || (sendMagic && magic == ourMagic)) {
                            // Zero is invalid, and our own number means a looped-back link (or sstpc < 1.0.18
                            // echoing our frames, sstp.md §4.2): NAK with another number (RFC 1661 §6.4).
                            nak.add(CpOption.u32(MAGIC_NUMBER, nonZeroOtherThan(ourMagic)));
                        }
                    }
                }
                default -> reject.add(o);
            }
        }
        if (!reject.isEmpty()) {
            return new Reply(CpCode.CONFIGURE_REJECT, reject);
        }
        if (!nak.isEmpty()) {
            return new Reply(CpCode.CONFIGURE_NAK, nak);
        }
        peerMru = mru;
        peerMagic = magic;
        return new Reply(CpCode.CONFIGURE_ACK, peer);
    }

    @Override
    public boolean naked(List<CpOption> suggested) {
        for (CpOption o : suggested) {
            switch (o.type()) {
                case MRU -> {
                    if (o.data().length == 2 && o.value() >= MIN_MRU && o.value() <= MAX_MRU) {
                        ourMru = (int) o.value();
                    }
                }
                case MAGIC_NUMBER -> ourMagic = nonZeroOtherThan(ourMagic);
                case AUTH_PROTOCOL -> {
                    failure = "peer refuses EAP and suggests auth protocol 0x" + Long.toHexString(o.value());
                    return false;
                }
                default -> {
                    // An option we did not ask for (RFC 1661 §5.3 allows the hint): we do not want it.
                }
            }
        }
        return true;
    }

    @Override
    public boolean rejected(List<CpOption> rejected) {
        for (CpOption o : rejected) {
            switch (o.type()) {
                case MRU -> sendMru = false;
                case MAGIC_NUMBER -> sendMagic = false;
                case AUTH_PROTOCOL -> {
                    failure = "peer rejects authentication with EAP";
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** The peer's Magic-Number (0 if it sent none). */
    public int peerMagic() {
        return peerMagic;
    }

    private int nonZero() {
        int m;
        do {
            m = random.getAsInt();
        } while (m == 0);
        return m;
    }

    private int nonZeroOtherThan(int not) {
        int m;
        do {
            m = nonZero();
        } while (m == not);
        return m;
    }
}
