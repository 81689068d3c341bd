package io.p2sgw.ikev2.server;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.ikev2.engine.ChildPolicy;
import io.p2sgw.ikev2.engine.IkePolicy;
import io.p2sgw.ikev2.engine.ServerCredentials;
import io.p2sgw.ikev2.engine.TrafficSelectors;
import io.p2sgw.ikev2.wire.TrafficSelector;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's policies from the gateway's snapshot (ikev2.md §1.11, §1.14, §2.3): CERTREQ names every trusted
 * certificate of {@code vpnClientRootCertificates}, the VNet routes become the responder's traffic selectors, the
 * VNet's DNS servers go into the CP reply, and the snapshot's server name is our IDr.
 */
final class SnapshotPolicies {
    private SnapshotPolicies() {}

    /**
     * What every tunnel of one snapshot uses, built once per snapshot rather than once per IKE_SA_INIT: the CERTREQ
     * hashes (a SHA-1 of each trusted root's encoded key), the parsed routes and DNS servers, our credentials.
     */
    record ForTunnels(GatewaySnapshot snapshot, IkePolicy ike, ChildPolicy child, ServerCredentials credentials) {
        static ForTunnels of(GatewaySnapshot s, IkeV2ServerConfig config) {
            return new ForTunnels(s, ikePolicy(s, config), childPolicy(s), SnapshotPolicies.credentials(s, config));
        }
    }

    static IkePolicy ikePolicy(GatewaySnapshot s, IkeV2ServerConfig config) {
        List<byte[]> hashes = new ArrayList<>();
        for (TrustedCertificate t : s.trustedCertificates()) {
            hashes.add(spkiSha1(t));
        }
        return IkePolicy.defaults(hashes, config.legacyWindows()).withCookieThreshold(config.cookieThreshold());
    }

    static ChildPolicy childPolicy(GatewaySnapshot s) {
        List<TrafficSelector> routes = new ArrayList<>();
        for (String cidr : s.routes()) {
            parseIpv4Prefix(cidr).ifPresent(p -> routes.add(TrafficSelectors.ipv4(p.network(), p.length())));
        }
        List<byte[]> dns = new ArrayList<>();
        for (String server : s.dnsServers()) {
            parseIpv4(server).ifPresent(dns::add);
        }
        return ChildPolicy.defaults(routes, dns);
    }

    static ServerCredentials credentials(GatewaySnapshot s, IkeV2ServerConfig config) {
        return new ServerCredentials(config.serverKey(), config.chainToSend(), List.of(s.serverName()));
    }

    /** SHA-1 of the DER SubjectPublicKeyInfo: the CERTREQ's CA hash (RFC 7296 §3.7, ikev2.md §1.11). */
    private static byte[] spkiSha1(TrustedCertificate t) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(t.certificate().getPublicKey().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    record Ipv4Prefix(byte[] network, int length) {}

    static Optional<Ipv4Prefix> parseIpv4Prefix(String cidr) {
        int slash = cidr.indexOf('/');
        Optional<byte[]> a = parseIpv4(slash < 0 ? cidr : cidr.substring(0, slash));
        if (a.isEmpty()) {
            return Optional.empty();
        }
        int len = 32;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return len < 0 || len > 32 ? Optional.empty() : Optional.of(new Ipv4Prefix(a.get(), len));
    }

    /** A dotted quad without name resolution; empty for anything else (IPv6 routes are not pushed over IKE yet). */
    static Optional<byte[]> parseIpv4(String s) {
        String[] parts = s.trim().split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }
}
