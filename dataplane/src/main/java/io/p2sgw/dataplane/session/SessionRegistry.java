package io.p2sgw.dataplane.session;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Live sessions by connection id and by pool address (the router's lookup). Thread-safe. */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Session> byAddress = new ConcurrentHashMap<>();

    public void add(Session s) {
        byId.put(s.connectionId(), s);
        byAddress.put(s.addressValue(), s);
    }

    public void remove(Session s) {
        byId.remove(s.connectionId(), s);
        byAddress.remove(s.addressValue(), s);
    }

    public Optional<Session> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The session owning a pool address; the hot path of the router. */
    public Session ownerOf(long address) {
        return byAddress.get(address);
    }

    public Collection<Session> all() {
        return List.copyOf(byId.values());
    }

    /** Live sessions counted against the same SKU cap as {@code type} (azure-p2s.md §2.6: SSTP apart). */
    public int countSharingLimitWith(TunnelType type) {
        boolean sstp = type == TunnelType.SSTP;
        int n = 0;
        for (Session s : byId.values()) {
            if ((s.tunnelType() == TunnelType.SSTP) == sstp) {
                n++;
            }
        }
        return n;
    }

    public int count(TunnelType type) {
        int n = 0;
        for (Session s : byId.values()) {
            if (s.tunnelType() == type) {
                n++;
            }
        }
        return n;
    }
}
