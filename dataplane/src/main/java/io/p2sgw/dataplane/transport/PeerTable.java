package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.spi.DatagramPeer;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The peers seen on one socket, by {@link DatagramPeer#key}: an open-addressing table of primitive keys, so finding
 * the peer of a datagram allocates nothing; a peer is made once, when its address first appears. Owned by the thread
 * that reads the socket. Bounded: when {@link #MAX_PEERS} are remembered the table starts afresh (a flood of
 * spoofed sources costs a peer object per datagram then, never unbounded memory; peers compare by value, so a
 * protocol's sessions keyed by an older object still match the new one).
 */
final class PeerTable {
    static final int MAX_PEERS = 1 << 16;
    private static final int INITIAL_SLOTS = 256;
    /** Set on every stored key so that 0 means an empty slot (keys use the low 48 bits). */
    private static final long USED = 1L << 62;

    private final int socket;
    private final InetSocketAddress local;
    private long[] keys = new long[INITIAL_SLOTS];
    private DatagramPeer[] peers = new DatagramPeer[INITIAL_SLOTS];
    private int size;

    PeerTable(int socket, InetSocketAddress local) {
        this.socket = socket;
        this.local = local;
    }

    /** The peer for {@code ipv4:port}, made on first sight. */
    DatagramPeer peer(int ipv4, int port) {
        long k = DatagramPeer.key(ipv4, port) | USED;
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (keys[i] != 0) {
            if (keys[i] == k) {
                return peers[i];
            }
            i = (i + 1) & mask;
        }
        DatagramPeer p = new DatagramPeer(ipv4, port, socket, local);
        if (size >= MAX_PEERS) {
            clear();
        } else if ((size + 1) * 4 > keys.length * 3) {
            grow();
        } else {
            keys[i] = k;
            peers[i] = p;
            size++;
            return p;
        }
        insert(k, p);
        return p;
    }

    int size() {
        return size;
    }

    private void insert(long k, DatagramPeer p) {
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = k;
        peers[i] = p;
        size++;
    }

    private void grow() {
        long[] oldKeys = keys;
        DatagramPeer[] oldPeers = peers;
        keys = new long[oldKeys.length * 2];
        peers = new DatagramPeer[oldKeys.length * 2];
        size = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                insert(oldKeys[j], oldPeers[j]);
            }
        }
    }

    private void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(peers, null);
        size = 0;
    }

    private static int slot(long k, int mask) {
        long h = k * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }
}
