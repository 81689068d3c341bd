package io.p2sgw.ikev2.server;

import io.p2sgw.dataplane.spi.PreAuthBudget;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A half-open IKE SA's ticket of the core's pre-authentication budget (issue 13), from the IKE_SA_INIT that creates
 * the SA until the core admits the client in IKE_AUTH, or the SA ends first. The IKE SA gives it back itself, on
 * admission too: the client usually moves from port 500 to 4500 in between (NAT-T, RFC 7296 §2.23), so the core
 * cannot match the admission to the ticket by address.
 *
 * <p>The ticket goes back exactly once, by whichever comes first: {@link #release} (admitted, or the SA ended),
 * {@link #refuse} (the handshake failed), or the budget's deadline, which runs {@link #expired} on the core's timer
 * thread; that one ends the SA through its work queue ({@link IkeTunnel#preAuthExpired}). Thread-safe.
 */
final class PreAuthPlace {
    private final InetSocketAddress from;
    /** Null until taken, and again once given back. */
    private PreAuthBudget.Ticket ticket;
    private IkeTunnel tunnel;
    private boolean expired;

    private PreAuthPlace(InetSocketAddress from) {
        this.from = from;
    }

    /** A place for a half-open SA of {@code from}, or empty (the budget counted the cap that was reached). */
    static Optional<PreAuthPlace> take(PreAuthBudget budget, InetSocketAddress from) {
        PreAuthPlace place = new PreAuthPlace(from);
        Optional<PreAuthBudget.Ticket> t = budget.enter(PreAuthBudget.Transport.UDP, from, place::expired);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        synchronized (place) {
            place.ticket = t.get();
        }
        return Optional.of(place);
    }

    InetSocketAddress from() {
        return from;
    }

    /** The half-open SA the place is for, once it exists; if the deadline passed already, it ends at once. */
    void attach(IkeTunnel t) {
        boolean late;
        synchronized (this) {
            tunnel = t;
            late = expired;
        }
        if (late) {
            t.preAuthExpired();
        }
    }

    /** Admitted, or the SA ended: the place is free. Idempotent. */
    void release() {
        PreAuthBudget.Ticket t = giveBack();
        if (t != null) {
            t.release();
        }
    }

    /** The handshake failed before admission: counted by {@code reason}, and the place is free. Idempotent. */
    void refuse(PreAuthBudget.Refusal reason) {
        PreAuthBudget.Ticket t = giveBack();
        if (t != null) {
            t.refuse(reason);
        }
    }

    /** Still held: not admitted yet (tests). */
    synchronized boolean held() {
        return ticket != null;
    }

    /** The budget's deadline (its timer thread): the budget freed the place and counted TIMEOUT; the SA goes. */
    private void expired() {
        IkeTunnel t;
        synchronized (this) {
            if (ticket == null) {
                return; // given back meanwhile (admitted a moment ago): nothing to drop
            }
            ticket = null;
            expired = true;
            t = tunnel;
        }
        if (t != null) {
            t.preAuthExpired();
        }
    }

    private synchronized PreAuthBudget.Ticket giveBack() {
        PreAuthBudget.Ticket t = ticket;
        ticket = null;
        return t;
    }
}
