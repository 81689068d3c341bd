package io.p2sgw.dataplane.session;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live sessions by connection id and by pool address (the router's lookup). Thread-safe. The address index is
 * copy-on-write: sessions come and go rarely, the router looks up every packet, so a lookup is a binary search over
 * a primitive array with no lock and no boxing (no allocation per packet).
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Session> byAddress = new ConcurrentHashMap<>();
    private volatile AddressIndex index = AddressIndex.EMPTY;

    /** Sorted addresses and their sessions; immutable once published. */
    private record AddressIndex(long[] addresses, Session[] sessions) {
        static final AddressIndex EMPTY = new AddressIndex(new long[0], new Session[0]);

        Session find(long address) {
            int i = Arrays.binarySearch(addresses, address);
            return i >= 0 ? sessions[i] : null;
        }
    }

    public void add(Session s) {
        byId.put(s.connectionId(), s);
        byAddress.put(s.addressValue(), s);
        rebuildIndex();
    }

    public void remove(Session s) {
        byId.remove(s.connectionId(), s);
        byAddress.remove(s.addressValue(), s);
        rebuildIndex();
    }

    private synchronized void rebuildIndex() {
        List<Map.Entry<Long, Session>> entries = new ArrayList<>(byAddress.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        long[] addresses = new long[entries.size()];
        Session[] owners = new Session[entries.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = entries.get(i).getKey();
            owners[i] = entries.get(i).getValue();
        }
        index = new AddressIndex(addresses, owners);
    }

    public Optional<Session> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The session owning a pool address; the hot path of the router. */
    public Session ownerOf(long address) {
        return index.find(address);
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
