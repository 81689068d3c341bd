import io.p2sgw.ikev2.engine.*;
import io.p2sgw.ikev2.esp.*;
import io.p2sgw.ikev2.wire.*;
import java.net.*;
import java.nio.*;
import java.nio.channels.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.spec.*;
import java.util.*;

/**
 * Manual lab harness, not part of the build: drives the sans-I/O responders over two UDP sockets (500 and 4500, the
 * non-ESP marker handled here) so a real strongSwan client can run IKE_SA_INIT, IKE_AUTH and INFORMATIONAL against
 * them. ESP on 4500 goes through io.p2sgw.ikev2.esp: every packet is opened (the result printed), and an ICMP echo
 * request inside is answered with an echo reply sealed on the CHILD SA's outbound half, so a ping from the client through
 * the tunnel proves both directions against strongSwan's libipsec. The real binding belongs to the core's UDP transport
 * (issue 14); see README.md.
 */
public class StrongSwanHandshake {
    public static void main(String[] a) throws Exception {
        InetAddress ip = InetAddress.getByName(a[0]);
        Path dir = Path.of(a[1]);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) cf.generateCertificate(Files.newInputStream(dir.resolve("pki/ca.der")));
        X509Certificate srv = (X509Certificate) cf.generateCertificate(Files.newInputStream(dir.resolve("pki/server.der")));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("pki/server.pk8"))));
        byte[] caHash = MessageDigest.getInstance("SHA-1").digest(ca.getPublicKey().getEncoded());
        SecureRandom rnd = new SecureRandom();
        IkePolicy policy = IkePolicy.defaults(List.of(caHash), true);
        IkeSaInitResponder init = new IkeSaInitResponder(policy, rnd);
        Map<Long, IkeAuthResponder> auth = new HashMap<>();
        Map<Long, InformationalResponder> info = new HashMap<>();
        IkeAuthHost host = new IkeAuthHost() {
            public Verdict verifyClient(X509Certificate ee, List<X509Certificate> im) {
                try { ee.verify(ca.getPublicKey()); ee.checkValidity(); return new Verdict.Accepted(ee.getSubjectX500Principal().getName()); }
                catch (Exception e) { return new Verdict.Refused(e.toString()); }
            }
            public Optional<byte[]> leaseIpv4(String id) { return Optional.of(new byte[] {(byte) 172, 16, (byte) 201, 10}); }
            public int newInboundSpi() { return 0x10000 + rnd.nextInt(1 << 20); }
        };
        ChildPolicy child = new ChildPolicy(ChildPolicy.defaults(List.of(), List.of()).encryptions(),
                ChildPolicy.defaults(List.of(), List.of()).integrities(),
                List.of(new TrafficSelector(7, 0, 0, 65535, new byte[] {10, 1, 0, 0}, new byte[] {10, 1, (byte) 255, (byte) 255})),
                List.of(new byte[] {10, 1, 0, 53}));
        ServerCredentials creds = new ServerCredentials(key, List.of(srv), List.of("vpn.example.test"));
        Selector sel = Selector.open();
        for (int port : new int[] {500, 4500}) {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress(ip, port));
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ, port);
        }
        Map<Integer, EspSa> esp = new HashMap<>();
        int n = 0;
        long start = System.nanoTime();
        System.out.println("listening"); System.out.flush();
        while (true) {
            sel.select(1000);
            for (SelectionKey k : sel.selectedKeys()) {
                DatagramChannel ch = (DatagramChannel) k.channel();
                int port = (Integer) k.attachment();
                ByteBuffer buf = ByteBuffer.allocate(65536);
                InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
                if (from == null) continue;
                buf.flip();
                byte[] d = new byte[buf.remaining()];
                buf.get(d);
                if (port == 4500) {
                    if (d.length == 1 && d[0] == (byte) 0xFF) { System.out.println("keepalive"); continue; }
                    if (EspInUdp.classify(d, 0, d.length) == EspInUdp.Kind.ESP) { esp(esp, d, ch, from); continue; }
                    d = Arrays.copyOfRange(d, 4, d.length);
                }
                Files.write(dir.resolve("rx-" + (n++) + "-" + port + ".bin"), d);
                InboundDatagram in = new InboundDatagram(d, from, new InetSocketAddress(ip, port));
                long now = (System.nanoTime() - start) / 1_000_000;
                List<IkeAction> actions;
                long spiR = d.length >= 16 ? ByteBuffer.wrap(d).getLong(8) : 0;
                if (spiR == 0) actions = init.receive(in, now);
                else if (info.containsKey(spiR)) actions = info.get(spiR).receive(in, now);
                else if (auth.containsKey(spiR)) actions = auth.get(spiR).receive(in, now);
                else { System.out.println("unknown SPI " + Long.toHexString(spiR) + " exch " + d[18]); continue; }
                for (IkeAction act : actions) {
                    System.out.println("action: " + act); System.out.flush();
                    if (act instanceof IkeAction.Send s) {
                        byte[] m = s.message();
                        if (port == 4500) { byte[] mm = new byte[m.length + 4]; System.arraycopy(m, 0, mm, 4, m.length); m = mm; }
                        ch.send(ByteBuffer.wrap(m), s.to());
                    } else if (act instanceof IkeAction.Established e) {
                        esp.put(e.sa().child().inboundSpi(), EspSa.of(e.sa().child()));
                        long r = e.sa().init().responderSpi();
                        info.put(r, new InformationalResponder(e.sa(), auth.get(r).cipher(), policy, child, host, rnd));
                    } else if (act instanceof IkeAction.IkeRekeyed rk) {
                        info.put(rk.replacement().init().responderSpi(),
                                InformationalResponder.afterIkeRekey(rk, policy, child, host, rnd));
                    } else if (act instanceof IkeAction.ChildRekeyed cr) {
                        esp.put(cr.replacement().inboundSpi(), EspSa.of(cr.replacement()));
                    } else if (act instanceof IkeAction.ChildDeleted cd) {
                        esp.remove(cd.child().inboundSpi());
                    } else if (act instanceof IkeAction.Deleted del) {
                        info.remove(del.responderSpi()); auth.remove(del.responderSpi());
                    } else if (act instanceof IkeAction.HalfOpenCreated h) {
                        auth.put(h.sa().responderSpi(), new IkeAuthResponder(h.sa(), policy, child, creds, host, rnd));
                    }
                }
            }
            sel.selectedKeys().clear();
        }
    }

    /** Opens one ESP packet; answers an ICMP echo request (RFC 792) inside it with a reply through the outbound SA. */
    static void esp(Map<Integer, EspSa> esp, byte[] d, DatagramChannel ch, InetSocketAddress from) throws Exception {
        EspSa sa = esp.get(EspInUdp.spi(d, 0));
        if (sa == null) { System.out.printf("ESP unknown SPI %08x%n", EspInUdp.spi(d, 0)); return; }
        int len = sa.inbound().open(d, 0, d.length);
        int off = sa.inbound().payloadOffset();
        if (len < 0) { System.out.println("ESP in: " + sa.inbound().lastDrop()); return; }
        int ihl = (d[off] & 0x0F) * 4;
        boolean echo = d[off + 9] == 1 && len >= ihl + 8 && d[off + ihl] == 8;
        System.out.printf("ESP in: seq %d, %d-byte IPv4 %s%n", sa.inbound().highestSequence(), len, echo ? "echo request" : "");
        if (!echo) return;
        byte[] reply = Arrays.copyOfRange(d, off, off + len);
        for (int i = 0; i < 4; i++) { byte t = reply[12 + i]; reply[12 + i] = reply[16 + i]; reply[16 + i] = t; }
        reply[ihl] = 0; // echo reply; swapping the addresses leaves the IP header checksum valid
        reply[ihl + 2] = 0; reply[ihl + 3] = 0;
        int sum = 0;
        for (int i = ihl; i < len; i += 2) sum += (reply[i] & 0xFF) << 8 | (i + 1 < len ? reply[i + 1] & 0xFF : 0);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        reply[ihl + 2] = (byte) (~sum >> 8); reply[ihl + 3] = (byte) ~sum;
        byte[] out = new byte[sa.outbound().sealedLength(len)];
        int m = sa.outbound().seal(reply, 0, len, out, 0);
        ch.send(ByteBuffer.wrap(out, 0, m), from);
        System.out.printf("ESP out: seq %d, echo reply %d bytes%n", sa.outbound().sentSequence(), m);
        System.out.flush();
    }
}
