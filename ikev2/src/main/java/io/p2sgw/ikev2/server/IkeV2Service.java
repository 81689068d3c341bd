package io.p2sgw.ikev2.server;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKEv2 on UDP 500 and 4500 (ikev2.md §5.3): the core owns the sockets and, while {@code IkeV2} is in
 * {@code vpnClientProtocols}, pushes their datagrams to a fresh {@link IkeRun} per enable. The sans-I/O engine
 * ({@code io.p2sgw.ikev2.engine}) answers; the core's certificate policy and pool admit the client
 * ({@code GatewayCore.admit}), and ESP carries its packets to and from the core.
 */
public final class IkeV2Service implements DatagramService {
    private static final Logger LOG = LoggerFactory.getLogger(IkeV2Service.class);

    private final IkeV2ServerConfig config;
    private final SecureRandom random = new SecureRandom();
    private volatile IkeRun current;

    public IkeV2Service(IkeV2ServerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "IKEv2";
    }

    @Override
    public TunnelType tunnelType() {
        return TunnelType.IKEV2;
    }

    /** IKE first, NAT-T second: the run tells the two apart by this order of the core's sockets. */
    @Override
    public List<Integer> ports() {
        return List.of(config.ikePort(), config.natTraversalPort());
    }

    @Override
    public DatagramReceiver start(DatagramSender sender, GatewayCore core) {
        IkeRun run = new IkeRun(config, sender, core, random);
        current = run;
        LOG.info("IKEv2 serving {} (IKE port {}, NAT-T port {}); legacy DH group MODP-1024 {}", sender.localAddresses(),
                run.ikePort, run.natTraversalPort, config.legacyWindows() ? "accepted (--ike-legacy-dh-groups=true)"
                        : "refused (--ike-legacy-dh-groups=false)");
        return run;
    }

    /** Live IKE SAs of the current run, each counted once (tests, metrics). */
    public int ikeSaCount() {
        IkeRun r = current;
        return r == null || r.closed() ? 0 : (int) r.bySpi.values().stream().distinct().count();
    }
}
