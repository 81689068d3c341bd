/**
 * The ESP data path of a CHILD SA (RFC 4303 in tunnel mode; ikev2.md §6), sans-I/O: {@link
 * io.p2sgw.ikev2.esp.InboundEspSa} verifies and decrypts an ESP packet in the caller's buffer and returns where the
 * inner IPv4 packet lies; {@link io.p2sgw.ikev2.esp.OutboundEspSa} wraps an inner IPv4 packet into an ESP packet in
 * the caller's buffer. {@link io.p2sgw.ikev2.esp.EspSa} builds both halves from the engine's {@link
 * io.p2sgw.ikev2.engine.ChildSa}. {@link io.p2sgw.ikev2.esp.EspInUdp} tells apart what arrives on UDP 4500 (RFC 3948:
 * keepalive, IKE behind the non-ESP marker, ESP); the ESP engine itself does not depend on the encapsulation.
 *
 * <p>Hostile input never throws: a dropped packet is counted by {@link io.p2sgw.ikev2.esp.EspDrop reason}. Once
 * warmed up the AES-CBC/HMAC suites allocate nothing per packet; AES-GCM allocates only inside JCA's {@code
 * Cipher.init}, which a new nonce per packet requires (measured by {@code EspAllocationTest}).
 */
package io.p2sgw.ikev2.esp;
