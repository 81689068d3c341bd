package io.p2sgw.sstp.wire;

/**
 * An accepted HTTPS preamble ([MS-SSTP] 3.2.4.1, sstp.md §1.1).
 *
 * @param host the Host header as the client typed the server name ("" if absent); for logs
 * @param correlationId SSTPCORRELATIONID without optional braces ("" if absent); opaque, for logs
 */
public record SstpRequest(String host, String correlationId) {
}
