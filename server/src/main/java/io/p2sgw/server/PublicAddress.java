package io.p2sgw.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The default {@code --public-address}: the first global IPv4 address of an interface that is up, else
 * loopback. Operators behind NAT set the flag; the server logs what it chose.
 */
final class PublicAddress {
    private PublicAddress() {}

    static String guess() {
        try {
            List<NetworkInterface> ifaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            ifaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
            for (NetworkInterface ni : ifaces) {
                if (!ni.isUp() || ni.isLoopback() || ni.isVirtual() || ni.getName().startsWith("p2sgw")) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }
}
