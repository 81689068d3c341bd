package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.IkeSuite;
import io.p2sgw.ikev2.wire.Proposal;

/** The outcome of matching an IKE SA offer and KE group against our policy. */
public sealed interface ProposalSelection {
    /** Use this suite; answer with {@code reply}, which reuses the chosen proposal's number (RFC 7296 §3.3). */
    record Chosen(IkeSuite suite, Proposal reply) implements ProposalSelection {}

    /** An acceptable proposal exists, but not with the KE's group: ask for {@code group} (RFC 7296 §1.2). */
    record WrongGroup(DhGroup group) implements ProposalSelection {}

    /** Nothing acceptable; {@code offered} describes the offer for the log line. */
    record NoneAcceptable(String offered) implements ProposalSelection {}
}
