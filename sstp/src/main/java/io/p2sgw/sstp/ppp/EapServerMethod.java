package io.p2sgw.sstp.ppp;

/**
 * An EAP authentication method on the authenticator's side (RFC 3748 §2), as the PPP engine drives it after the
 * Identity exchange: the engine owns Identifiers, retransmission and Success/Failure; the method only sees its own
 * type data. EAP-TLS (RFC 5216, in the {@code tls} module) plugs in here; its fragmentation and ACKs are type data.
 *
 * <p>Calls come from one thread at a time; a method serves one session.
 */
public interface EapServerMethod {
    /** The EAP type this method speaks (13 for EAP-TLS). */
    int type();

    /**
     * The first Request of the method (for EAP-TLS: the Start flag).
     *
     * @param identity the peer's EAP identity (for logs; the method authenticates by its own means)
     * @param maxTypeData the most type data one Request may carry so that the EAP packet fits the peer's MRU (the
     *     EAP-TLS fragment size, flags and length field included; RFC 5216 §2.1.5)
     */
    Step start(String identity, int maxTypeData);

    /** The peer's Response of this method's type (type data, after the Type byte). */
    Step receive(byte[] typeData);

    /** What the method wants next. */
    sealed interface Step {
        /** Send an EAP-Request of this method's type with this type data. */
        record Request(byte[] typeData) implements Step {
            public Request {
                typeData = typeData.clone();
            }
        }

        /**
         * Authentication succeeded. For EAP-TLS 1.2, return this only for the peer's empty Response that acknowledges
         * the server's Finished: pppd 2.4.9 ignores an EAP-Success that comes earlier and the call stalls
         * (sstp.md §4.3 step 4, §7 pitfall 3). {@code msk} is the Master Session Key (64 bytes for EAP-TLS,
         * RFC 5216 §2.3), which the SSTP crypto binding needs before EAP-Success goes out (sstp.md §3.4);
         * {@code subject} names the authenticated peer for logs (a certificate thumbprint or subject, never key
         * material). The engine wipes the MSK once the binding is checked.
         */
        record Success(byte[] msk, String subject) implements Step {
            public Success {
                msk = msk.clone();
            }

            @Override
            public String toString() {
                return "Success[" + subject + "]";
            }
        }

        /** Authentication failed for this reason (goes to the server log; the peer gets EAP-Failure). */
        record Failure(String reason) implements Step {
        }
    }
}
