/**
 * IKEv2 wire codecs (RFC 7296 §3, RFC 7383 §2.5; ikev2.md §1): the IKE header and every payload a client sends or
 * we answer with, as immutable records. Decoders check every length before reading and fail with an
 * {@link io.p2sgw.ikev2.wire.IkeException} carrying the IKE notify that applies; encoders write into caller buffers.
 * No crypto here: SK and SKF are carried as opaque bodies with their offsets, and opened by {@code crypto}.
 */
package io.p2sgw.ikev2.wire;
