/**
 * PPP as SSTP carries it (sstp.md §4): frames without HDLC, the RFC 1661 option automaton with the LCP and IPCP
 * policies, EAP packets, the {@link io.p2sgw.sstp.ppp.EapServerMethod} plug-in point for EAP-TLS, and the sans-I/O
 * server engine that runs LCP, authentication, IPCP and the network phase.
 */
package io.p2sgw.sstp.ppp;
