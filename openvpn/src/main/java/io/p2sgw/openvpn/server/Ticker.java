package io.p2sgw.openvpn.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One timer thread that ticks every live connection (retransmits, pings, timeouts). */
final class Ticker implements AutoCloseable {
    static final long PERIOD_MILLIS = 200;

    private final Set<OpenVpnConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    Ticker(String name) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tickAll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void add(OpenVpnConnection c) {
        connections.add(c);
    }

    void remove(OpenVpnConnection c) {
        connections.remove(c);
    }

    private void tickAll() {
        for (OpenVpnConnection c : connections) {
            try {
                c.tick();
            } catch (RuntimeException e) {
                System.getLogger(Ticker.class.getName()).log(System.Logger.Level.WARNING, "tick failed", e);
                c.transportClosed("internal error: " + e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
