/**
 * The sans-I/O IKEv2 responder (STYLE.md §7.3 rule 1): datagrams, time and host decisions in; {@link
 * io.p2sgw.ikev2.engine.IkeAction}s out. {@link io.p2sgw.ikev2.engine.IkeSaInitResponder} handles IKE_SA_INIT for the
 * whole gateway (cookies, half-open accounting, retransmissions); each half-open SA then gets an {@link
 * io.p2sgw.ikev2.engine.IkeAuthResponder}. Sockets, the SA table by SPI, timers and ESP belong to the binding that
 * drives them.
 */
package io.p2sgw.ikev2.engine;
