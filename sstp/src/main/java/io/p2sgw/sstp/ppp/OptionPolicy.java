package io.p2sgw.sstp.ppp;

import java.util.List;

/**
 * What one control protocol (LCP, IPCP) wants from option negotiation; {@link ControlProtocolFsm} runs the RFC 1661
 * automaton around it. Confined to the connection's thread.
 */
public interface OptionPolicy {
    /** The reply to a peer's Configure-Request: ACK with the options as received, NAK or REJECT with a subset. */
    record Reply(int code, List<CpOption> options) {
        public Reply {
            options = List.copyOf(options);
        }
    }

    /** Our next Configure-Request's options. */
    List<CpOption> request();

    /**
     * Judges the peer's Configure-Request (RFC 1661 §5.2-5.4): if anything is unacceptable, REJECT those options;
     * otherwise NAK those whose value we want changed, with the value we want; otherwise ACK. On ACK the policy keeps
     * the accepted values.
     */
    Reply judge(List<CpOption> peer);

    /**
     * The peer NAKed our request with these suggestions.
     *
     * @return false if an option we cannot do without was refused: the protocol closes with {@link #failure()}
     */
    boolean naked(List<CpOption> suggested);

    /**
     * The peer REJECTed these options of our request: leave them out from now on.
     *
     * @return false if an option we cannot do without was rejected: the protocol closes with {@link #failure()}
     */
    boolean rejected(List<CpOption> rejected);

    /** Why the last {@link #naked} or {@link #rejected} returned false. */
    String failure();
}
