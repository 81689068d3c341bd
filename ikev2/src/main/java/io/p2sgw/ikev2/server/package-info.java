/**
 * The IKEv2 binding (DESIGN.md "Modules": {@code server}): {@link io.p2sgw.ikev2.server.IkeV2Service} on the core's
 * UDP transport drives the sans-I/O engine per IKE SA, admits clients through the core's one certificate policy and
 * pool, and carries ESP-in-UDP between the client and the core. Before admission each half-open IKE SA holds a ticket
 * of the core's pre-authentication budget ({@link io.p2sgw.ikev2.server.PreAuthPlace}, issue 13).
 */
package io.p2sgw.ikev2.server;
