package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * NAT detection hashes (RFC 7296 §2.23; ikev2.md §5.1): SHA-1(SPIi | SPIr | IP | port) over the SPIs of the message
 * that carries them, so a request's hashes use SPIr = 0 (pitfall §10.3).
 */
public final class NatDetection {
    private NatDetection() {}

    public static byte[] hash(long spiI, long spiR, InetSocketAddress endpoint) {
        byte[] ip = endpoint.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(16 + ip.length + 2);
        b.putLong(spiI).putLong(spiR).put(ip).putShort((short) endpoint.getPort());
        try {
            return MessageDigest.getInstance("SHA-1").digest(b.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    /** What the request's NAT-D notifies say, or that it had none (then there is no NAT traversal at all). */
    public record Result(boolean supported, boolean peerBehindNat, boolean weBehindNat) {}

    /**
     * Evaluates the request's notifies: the peer is behind a NAT when none of its SOURCE hashes matches the address
     * the datagram came from (several are allowed, any match counts); we are when its DESTINATION hash does not
     * match the address it arrived at.
     */
    public static Result evaluate(IkeMessage request, InetSocketAddress peer, InetSocketAddress local) {
        List<NotifyPayload> sources = request.notifies(NotifyType.NAT_DETECTION_SOURCE_IP);
        List<NotifyPayload> destinations = request.notifies(NotifyType.NAT_DETECTION_DESTINATION_IP);
        if (sources.isEmpty() || destinations.isEmpty()) {
            return new Result(false, false, false);
        }
        long spiI = request.header().initiatorSpi();
        long spiR = request.header().responderSpi();
        byte[] peerHash = hash(spiI, spiR, peer);
        byte[] localHash = hash(spiI, spiR, local);
        boolean peerMatches = sources.stream().anyMatch(n -> MessageDigest.isEqual(n.data(), peerHash));
        boolean localMatches = destinations.stream().anyMatch(n -> MessageDigest.isEqual(n.data(), localHash));
        return new Result(true, !peerMatches, !localMatches);
    }
}
