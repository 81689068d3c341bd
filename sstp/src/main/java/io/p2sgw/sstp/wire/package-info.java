/**
 * SSTP on the wire ([MS-SSTP] 2.2; sstp.md §1-2): the HTTPS preamble parser and the responses, the 4-byte packet
 * header and the stream framer, control messages and attributes with their status codes. Pure codecs: no state beyond
 * one connection's partial input, no I/O.
 */
package io.p2sgw.sstp.wire;
