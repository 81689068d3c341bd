package io.p2sgw.sstp.ppp;

import java.util.ArrayList;
import java.util.List;

/**
 * IPCP options (RFC 1332, DNS by RFC 1877; sstp.md §4.4). We ask for IP-Address = the server's tunnel address. The
 * peer gets the address leased for this session and the configured DNS servers: a request for 0.0.0.0 or another
 * address is NAKed with ours; VJ compression, NBNS and DNS we have no value for are rejected (never a NAK with
 * 0.0.0.0). Addresses are IPv4 as ints, 0 meaning "none".
 */
public final class IpcpPolicy implements OptionPolicy {
    public static final int IP_COMPRESSION = 2;
    public static final int IP_ADDRESS = 3;
    public static final int PRIMARY_DNS = 129;
    public static final int PRIMARY_NBNS = 130;
    public static final int SECONDARY_DNS = 131;
    public static final int SECONDARY_NBNS = 132;

    private final int serverAddress;
    private final int clientAddress;
    private final int dns1;
    private final int dns2;
    private boolean sendAddress = true;

    public IpcpPolicy(int serverAddress, int clientAddress, int dns1, int dns2) {
        if (clientAddress == 0) {
            throw new IllegalArgumentException("no client address");
        }
        this.serverAddress = serverAddress;
        this.clientAddress = clientAddress;
        this.dns1 = dns1;
        this.dns2 = dns2;
    }

    public int clientAddress() {
        return clientAddress;
    }

    @Override
    public List<CpOption> request() {
        return sendAddress && serverAddress != 0 ? List.of(CpOption.u32(IP_ADDRESS, serverAddress)) : List.of();
    }

    @Override
    public Reply judge(List<CpOption> peer) {
        List<CpOption> reject = new ArrayList<>();
        List<CpOption> nak = new ArrayList<>();
        for (CpOption o : peer) {
            int want = switch (o.type()) {
                case IP_ADDRESS -> clientAddress;
                case PRIMARY_DNS -> dns1;
                case SECONDARY_DNS -> dns2;
                default -> 0;
            };
            if (want == 0 || o.data().length != 4) {
                reject.add(o);
            } else if ((int) o.value() != want) {
                nak.add(CpOption.u32(o.type(), want));
            }
        }
        if (!reject.isEmpty()) {
            return new Reply(CpCode.CONFIGURE_REJECT, reject);
        }
        if (peer.stream().noneMatch(o -> o.type() == IP_ADDRESS)) {
            // A peer that asks for no address still gets ours as a hint (RFC 1661 §5.3 lets a NAK add options).
            nak.add(0, CpOption.u32(IP_ADDRESS, clientAddress));
        }
        if (!nak.isEmpty()) {
            return new Reply(CpCode.CONFIGURE_NAK, nak);
        }
        return new Reply(CpCode.CONFIGURE_ACK, peer);
    }

    @Override
    public boolean naked(List<CpOption> suggested) {
        // The peer suggests another address for us: our tunnel address is not negotiable; ask again as is (a peer
        // that never accepts it hits Max-Configure).
        return true;
    }

    @Override
    public boolean rejected(List<CpOption> rejected) {
        for (CpOption o : rejected) {
            if (o.type() == IP_ADDRESS) {
                sendAddress = false;
            }
        }
        return true;
    }

    @Override
    public String failure() {
        return "";
    }
}
