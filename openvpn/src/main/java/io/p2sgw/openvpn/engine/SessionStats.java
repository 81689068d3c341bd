package io.p2sgw.openvpn.engine;

/**
 * Counters of one session.
 *
 * @param dataIn         authenticated data packets from the client (pings included)
 * @param pingsIn        keepalive pings among them
 * @param dataOut        data packets sent (pings included)
 * @param pingsOut       keepalive pings sent
 * @param rejectedData   data packets that failed authentication or the replay check
 * @param currentKeyId   key_id used for sending, -1 before keys exist
 * @param renegotiations completed key switches
 */
public record SessionStats(long dataIn, long pingsIn, long dataOut, long pingsOut, long rejectedData, int currentKeyId, int renegotiations) {}
