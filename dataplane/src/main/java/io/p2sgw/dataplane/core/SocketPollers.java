package io.p2sgw.dataplane.core;

/**
 * How the JDK wakes a virtual thread whose socket became readable. Its default on Linux (JDK 25,
 * {@code jdk.pollerMode=2}) runs the pollers themselves as virtual threads under a master poller: a busy TCP client
 * costs two hand-offs per wake-up. With {@code jdk.pollerMode=1} a platform poller thread unparks the reader directly.
 * In the benchmark (bench/run, OpenVPN-TCP, client to VM, four 10 s iperf3 runs each) that gave about 259 against 209 Mbit/s with
 * less gateway CPU, and the VM to client direction did not lose. The JDK reads the property once, when the first
 * virtual thread blocks on a socket, so it is set before anything else starts; an operator's own {@code -D} wins.
 */
public final class SocketPollers {
    static final String POLLER_MODE = "jdk.pollerMode";

    private SocketPollers() {
    }

    /** Asks for system-thread pollers unless the property is set already. Call first thing in main. */
    public static void preferSystemThreads() {
        if (System.getProperty(POLLER_MODE) == null) {
            System.setProperty(POLLER_MODE, "1");
        }
    }
}
