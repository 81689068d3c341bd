package io.p2sgw.ikev2.engine;

import java.net.InetSocketAddress;

/**
 * One IKE message as the transport hands it over: the UDP payload with any non-ESP marker already removed (RFC 3948
 * §2.2; the transport demultiplexes port 4500), where it came from and where it arrived.
 */
public record InboundDatagram(byte[] message, InetSocketAddress peer, InetSocketAddress local) {
    public InboundDatagram {
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }
}
