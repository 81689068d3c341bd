package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.wire.NotifyType;
import java.net.InetSocketAddress;
import java.util.List;

/** What the sans-I/O engine asks its host to do; the host owns sockets, timers and the SA table. */
public sealed interface IkeAction {
    /**
     * Send {@code message} (an IKE message, without non-ESP marker) from {@code from} to {@code to}: replies leave
     * from the address and port the request arrived on (ikev2.md §2.2 step 4, §5.3).
     */
    record Send(byte[] message, InetSocketAddress to, InetSocketAddress from) implements IkeAction {}

    /** A new half-open IKE SA exists under {@code sa.responderSpi()}; IKE_AUTH continues from it. */
    record HalfOpenCreated(HalfOpenIkeSa sa) implements IkeAction {}

    /** We answered with an error notify and kept no state (NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD, COOKIE, ...). */
    record Refused(NotifyType notifyType, String detail) implements IkeAction {}

    /** IKE_AUTH succeeded: the host installs the CHILD SA, binds the address and moves the SA to established. */
    record Established(EstablishedIkeSa sa) implements IkeAction {}

    /**
     * IKE_AUTH failed, or authenticated but gave no CHILD SA (no address, no ESP proposal, no selectors): the response
     * carrying the notify has been sent (the Send before this action); the host deletes the IKE SA and releases any
     * address it leased for it (ikev2.md §8). {@code reason} is for the server log only (RFC 7296 §2.21.2).
     */
    record AuthFailed(long responderSpi, NotifyType notifyType, String reason) implements IkeAction {}

    /**
     * A CHILD SA rekey (ikev2.md §7.3): install {@code replacement}'s inbound SA now; move outbound traffic to it when
     * the client deletes {@code old} (or on the first packet on the new inbound SA); keep {@code old}'s inbound SA for
     * a few seconds after that. {@code byGateway}: the rekey was ours (lifetime or sequence numbers), not the client's.
     */
    record ChildRekeyed(long responderSpi, ChildSa old, ChildSa replacement, boolean byGateway) implements IkeAction {}

    /**
     * One CHILD SA of a live IKE SA is gone (the rekeyed one, deleted by the client or, after our own rekey, by us);
     * remove both directions.
     */
    record ChildDeleted(long responderSpi, ChildSa child) implements IkeAction {}

    /**
     * Our rekey of {@code child} did not give a new SA ({@code reason}: the client's error notify, a malformed answer):
     * the engine tries again later, and ends the IKE SA at the CHILD SA's hard lifetime. For the server log.
     */
    record ChildRekeyFailed(long responderSpi, ChildSa child, String reason) implements IkeAction {}

    /**
     * The client rekeyed the IKE SA (ikev2.md §7.4): {@code replacement} (new SPIs, keys, Message IDs from 0) now owns
     * the CHILD SAs and the address. The client then deletes the old SA; that {@link Deleted} for
     * {@code oldResponderSpi} ends only the old IKE SA, not the CHILD SAs or the lease, which moved. {@code timers}: the
     * CHILD SAs' lifetimes, which keep running under the new IKE SA.
     */
    record IkeRekeyed(long oldResponderSpi, EstablishedIkeSa replacement, List<ChildSa> children, ChildTimers timers)
            implements IkeAction {}

    /** The IKE SA ends: the host removes it with its CHILD SAs and releases its address. */
    record Deleted(long responderSpi, String reason) implements IkeAction {}

    /**
     * The datagram was dropped without an answer; {@code reason} is for counters and debug logs. {@code integrityFailed}:
     * it was a message of the SA whose integrity check (ICV) failed, which RFC 7296 §2.21 has us drop silently without
     * touching the SA (the host counts it; the pre-authentication budget calls it {@code BAD_HMAC}).
     */
    record Dropped(String reason, boolean integrityFailed) implements IkeAction {
        public Dropped(String reason) {
            this(reason, false);
        }
    }
}
