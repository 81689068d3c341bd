package io.p2sgw.ikev2.engine;

import java.net.InetSocketAddress;

/**
 * Whether an IKE_SA_INIT may create a half-open IKE SA: the host's say, asked by {@link IkeSaInitResponder} once it
 * knows the request will create state (past the cookie check, a proposal chosen) and before the Diffie-Hellman. The
 * server answers with the core's pre-authentication budget (issue 13): a yes holds a ticket for the SA, which the host
 * then owns. If the request is refused after a yes (an invalid KE value), the host gives the place back itself: no
 * {@link IkeAction.HalfOpenCreated} came.
 */
@FunctionalInterface
public interface HalfOpenGate {
    /** Always yes: no bound but the cookie threshold. */
    HalfOpenGate OPEN = peer -> true;

    boolean mayCreate(InetSocketAddress peer);
}
