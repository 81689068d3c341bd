/**
 * The ESP data path of a CHILD SA (RFC 4303 in tunnel mode; ikev2.md §6), sans-I/O: {@link
 * io.p2sgw.ikev2.esp.InboundEspSa} verifies and decrypts an ESP packet in the caller's buffer and returns where the
 * inner IPv4 packet lies; {@link io.p2sgw.ikev2.esp.OutboundEspSa} wraps an inner IPv4 packet into an ESP packet in
 * the caller's buffer. {@link io.p2sgw.ikev2.esp.EspSa} builds both halves from the engine's {@link
 * io.p2sgw.ikev2.engine.ChildSa}. {@link io.p2sgw.ikev2.esp.EspInUdp} tells apart what arrives on UDP 4500 (RFC 3948:
 * keepalive, IKE behind the non-ESP marker, ESP); the ESP engine itself does not depend on the encapsulation.
 *
 * <p>Use from a binding (the datagram reader opens, the TUN reader seals; each half belongs to one thread):
 * <pre>{@code
 * EspSa sa = EspSa.of(childSa);                        // after IKE_AUTH or a CHILD rekey; keys copied
 * // UDP 4500, EspInUdp.classify(...) == ESP, SA found by EspInUdp.spi(...):
 * int n = sa.inbound().open(b, off, len);              // decrypts in place
 * if (n >= 0) deliver(b, off + sa.inbound().payloadOffset(), n);   // the inner IPv4 packet, no copy
 * if (n != InboundEspSa.DROPPED) peerAuthenticated(from);          // RFC 3948 address update (ikev2.md §5.5)
 * // From the TUN, into a buffer of at least sealedLength(packet.remaining()) bytes:
 * int m = sa.outbound().seal(packet, out, 0);          // EXHAUSTED when the sequence numbers ran out
 * if (sa.outbound().rekeyNeeded()) ...                 // ask the IKE side for a CHILD SA rekey
 * }</pre>
 * The tunnel MTU for the inner packets is the path MTU less 28 (IPv4 and UDP) less {@link
 * io.p2sgw.ikev2.esp.OutboundEspSa#maxOverhead()}.
 *
 * <p>Hostile input never throws: a dropped packet is counted by {@link io.p2sgw.ikev2.esp.EspDrop reason}. Once
 * warmed up the AES-CBC/HMAC suites allocate nothing per packet; AES-GCM allocates only inside JCA's {@code
 * Cipher.init}, which a new nonce per packet requires (measured by {@code EspAllocationTest}).
 */
package io.p2sgw.ikev2.esp;
