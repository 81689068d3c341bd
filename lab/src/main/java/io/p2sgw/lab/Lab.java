package io.p2sgw.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The seed topology (lab/README.md, DESIGN.md "The lab") in network namespaces, with names unique to this run:
 *
 * <pre>
 *  [vnet ns]  lo 10.1.0.4/32 (VM: HTTP :80, iperf3)      gwsub 10.1.255.1/27 ── route 172.16.201.0/24 via 10.1.255.4
 *                                                          │ veth
 *  [gw ns]    vnet0 10.1.255.4/27 (GatewaySubnet leg) ── route 10.1.0.0/16 via 10.1.255.1
 *             public0 198.51.100.4/24 (public leg)
 *                                                          │ veth
 *  [inet ns]  bridge br0 ── gw, c1..cN, host
 *                                                          │ veth
 *  [client i] eth0 198.51.100.(9+i)/24                      host: p2sXXXXXX 198.51.100.1/24 (reaches the API at 198.51.100.4:8443)
 * </pre>
 *
 * {@link #close()} kills every process the lab started and deletes every namespace and link it created, also
 * after a failed {@link #start}. Needs root.
 */
public final class Lab implements AutoCloseable {
    public static final String VNET_PREFIX = "10.1.0.0/16";
    public static final String VM_ADDRESS = "10.1.0.4";
    public static final String VNET_ROUTER_ADDRESS = "10.1.255.1";
    public static final String GATEWAY_SUBNET_ADDRESS = "10.1.255.4";
    public static final String GATEWAY_SUBNET_PREFIX = "10.1.255.0/27";
    public static final String GATEWAY_PUBLIC_ADDRESS = "198.51.100.4";
    public static final String HOST_ADDRESS = "198.51.100.1";
    public static final String CLIENT_POOL = "172.16.201.0/24";
    /** The body the VM's web server returns for "/", so fetches can be checked. */
    public static final String VM_INDEX_BODY = "p2sgw lab VM 10.1.0.4\n";
    /** The VM's web page, which clients fetch through their tunnels. */
    public static final String VM_URL = "http://" + VM_ADDRESS + "/";
    /** How long a client's ping of the VM waits for its answer. */
    public static final Duration VM_PING_TIMEOUT = Duration.ofSeconds(5);
    /** How long a client's fetch of {@link #VM_URL} may take. */
    public static final Duration VM_FETCH_TIMEOUT = Duration.ofSeconds(10);
    /** Client i (1-based) gets 198.51.100.(9+i): .10, .11, ... */
    public static final int FIRST_CLIENT_HOST = 10;
    /** At most this many clients: the /24 public segment has room from .10 to .254. */
    public static final int MAX_CLIENTS = 200;

    /**
     * What to build.
     *
     * @param clients    number of client namespaces
     * @param hostLeg    a veth from the host's namespace to the internet segment (198.51.100.1)
     * @param vmServices start the VM's HTTP server and iperf3 server
     */
    public record Options(int clients, boolean hostLeg, boolean vmServices) {
        public Options {
            if (clients < 0 || clients > MAX_CLIENTS) {
                throw new IllegalArgumentException("clients must be 0.." + MAX_CLIENTS);
            }
        }

        public static Options seed(int clients) {
            return new Options(clients, true, true);
        }
    }

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(30);

    private final String runId;
    private final Path scratch;
    private final Options options;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> hostLinks = new ArrayList<>();
    private final List<BackgroundProcess> processes = new ArrayList<>();
    private boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
    private LabLock lock;
    private boolean keepScratch = System.getenv("P2SGW_KEEP_LAB_SCRATCH") != null;

    private Lab(Options options, Path scratch) {
        this.options = options;
        this.runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        this.scratch = scratch;
    }

    /** Builds the topology; on any failure everything built so far is removed before the exception propagates. */
    public static Lab start(Options options) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("p2sgw-lab-");
        } catch (IOException e) {
            throw new LabException("cannot create a scratch directory: " + e.getMessage(), e);
        }
        LabLock lock = LabLock.acquire();
        Lab lab = new Lab(options, scratch);
        lab.lock = lock;
        try {
            removeStale();
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Removes what a lab that died without cleaning up left behind (its namespaces, their processes, its
     * host-side links). Called with the lab lock held, so every {@code p2sgw-*} namespace is stale.
     */
    static void removeStale() {
        Cmd.Result list = Cmd.run("ip", "netns", "list");
        if (!list.ok()) {
            return;
        }
        List<String> stale = list.output().lines().map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith("p2sgw-")).toList();
        if (stale.isEmpty()) {
            return;
        }
        System.err.println("[lab] removing " + stale.size() + " namespaces left by an earlier lab that did not clean up: "
                + stale);
        for (String ns : stale) {
            Cmd.Result pids = Cmd.run("ip", "netns", "pids", ns);
            if (pids.ok()) {
                pids.output().lines().map(String::trim).filter(x -> x.matches("\\d+")).map(Long::parseLong)
                        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
        }
        for (String ns : stale) {
            Cmd.run("ip", "netns", "del", ns);
        }
    }

    /** Whether this process can build a lab (root, and ip netns works). */
    public static Optional<String> whyUnavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("the lab needs root (network namespaces, veth, TUN)");
        }
        if (!Cmd.run("ip", "netns", "list").ok()) {
            return Optional.of("`ip netns` does not work here");
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- names

    public String runId() {
        return runId;
    }

    public Path scratch() {
        return scratch;
    }

    public String vnetNamespace() {
        return "p2sgw-" + runId + "-vnet";
    }

    public String gatewayNamespace() {
        return "p2sgw-" + runId + "-gw";
    }

    public String internetNamespace() {
        return "p2sgw-" + runId + "-inet";
    }

    /** Client namespaces are numbered from 1. */
    public String clientNamespace(int i) {
        checkClient(i);
        return "p2sgw-" + runId + "-c" + i;
    }

    public String clientAddress(int i) {
        checkClient(i);
        return "198.51.100." + (FIRST_CLIENT_HOST - 1 + i);
    }

    public int clients() {
        return options.clients();
    }

    /** Every namespace this lab created (for checks that teardown removed them). */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    private void checkClient(int i) {
        if (i < 1 || i > options.clients()) {
            throw new IllegalArgumentException("client " + i + " does not exist (1.." + options.clients() + ")");
        }
    }

    private String hostLinkName() {
        return "p2s" + runId; // 9 characters: within IFNAMSIZ
    }

    // ---------------------------------------------------------------- building

    private void build() {
        for (String ns : Stream.concat(Stream.of(vnetNamespace(), gatewayNamespace(), internetNamespace()),
                java.util.stream.IntStream.rangeClosed(1, options.clients()).mapToObj(this::clientNamespace)).toList()) {
            Cmd.run("ip", "netns", "add", ns).orThrow();
            namespaces.add(ns);
            exec(ns, "ip", "link", "set", "lo", "up").orThrow();
        }
        // The "internet": a bridge in its own namespace.
        String inet = internetNamespace();
        exec(inet, "ip", "link", "add", "br0", "type", "bridge").orThrow();
        exec(inet, "ip", "link", "set", "br0", "up").orThrow();

        // VNet <-> gateway (GatewaySubnet leg).
        String vnet = vnetNamespace();
        String gw = gatewayNamespace();
        Cmd.run("ip", "link", "add", "gwsub", "netns", vnet, "type", "veth", "peer", "name", "vnet0", "netns", gw).orThrow();
        // The VM's address on the VNet namespace's loopback (the kernel here has no dummy links).
        exec(vnet, "ip", "addr", "add", VM_ADDRESS + "/32", "dev", "lo").orThrow();
        exec(vnet, "ip", "addr", "add", VNET_ROUTER_ADDRESS + "/27", "dev", "gwsub").orThrow();
        exec(vnet, "ip", "link", "set", "gwsub", "up").orThrow();
        exec(vnet, "ip", "route", "add", CLIENT_POOL, "via", GATEWAY_SUBNET_ADDRESS).orThrow();
        exec(gw, "ip", "addr", "add", GATEWAY_SUBNET_ADDRESS + "/27", "dev", "vnet0").orThrow();
        exec(gw, "ip", "link", "set", "vnet0", "up").orThrow();
        exec(gw, "ip", "route", "add", VNET_PREFIX, "via", VNET_ROUTER_ADDRESS).orThrow();

        // Gateway public leg on the internet segment.
        attachToInternet(gw, "public0", "gw", GATEWAY_PUBLIC_ADDRESS);
        for (int i = 1; i <= options.clients(); i++) {
            attachToInternet(clientNamespace(i), "eth0", "c" + i, clientAddress(i));
        }
        if (options.hostLeg()) {
            Cmd.run("ip", "link", "add", hostLinkName(), "type", "veth", "peer", "name", "host", "netns", inet).orThrow();
            hostLinks.add(hostLinkName());
            exec(inet, "ip", "link", "set", "host", "master", "br0", "up").orThrow();
            Cmd.run("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", hostLinkName()).orThrow();
            Cmd.run("ip", "link", "set", hostLinkName(), "up").orThrow();
        }
        if (options.vmServices()) {
            startVmServices();
        }
    }

    // ---------------------------------------------------------------- a client behind NAT

    /** NAT router n (1-based) has the public address 198.51.100.(240+n), above every client's (.10-.209). */
    public static final int FIRST_NAT_ROUTER_HOST = 241;
    /** At most this many NAT'd clients (.241-.249). */
    public static final int MAX_NAT_CLIENTS = 9;

    /** The router namespace of NAT'd client n: it masquerades the client's private segment behind its public address. */
    public String natRouterNamespace(int n) {
        checkNatClient(n);
        return "p2sgw-" + runId + "-nat" + n;
    }

    /** The namespace of NAT'd client n, on the private segment 192.168.(100+n).0/24 behind its router. */
    public String natClientNamespace(int n) {
        checkNatClient(n);
        return "p2sgw-" + runId + "-nc" + n;
    }

    /** The NAT router's public address: the source the gateway sees for NAT'd client n. */
    public String natRouterPublicAddress(int n) {
        checkNatClient(n);
        return "198.51.100." + (FIRST_NAT_ROUTER_HOST - 1 + n);
    }

    /** NAT'd client n's own (private) address. */
    public String natClientAddress(int n) {
        checkNatClient(n);
        return "192.168." + (100 + n) + ".2";
    }

    private static void checkNatClient(int n) {
        if (n < 1 || n > MAX_NAT_CLIENTS) {
            throw new IllegalArgumentException("NAT'd client " + n + " out of 1.." + MAX_NAT_CLIENTS);
        }
    }

    /**
     * Adds a home-router setup to the running lab (lab/README.md: "nftables NAT, IP forwarding"): a router namespace
     * on the internet segment at {@link #natRouterPublicAddress} that forwards and masquerades (nftables, source NAT
     * with port translation as consumer routers do) for a client namespace on a private /24 behind it. The client's
     * default route goes through the router, so it reaches the gateway only through the NAT, and the gateway sees the
     * router's address (RFC 7296 §2.23). Both namespaces are removed on {@link #close()}. Returns the client's
     * namespace.
     */
    public synchronized String addClientBehindNat(int n) {
        if (closed) {
            throw new LabException("the lab is closed");
        }
        String router = natRouterNamespace(n);
        String client = natClientNamespace(n);
        for (String ns : List.of(router, client)) {
            Cmd.run("ip", "netns", "add", ns).orThrow();
            namespaces.add(ns);
            exec(ns, "ip", "link", "set", "lo", "up").orThrow();
        }
        attachToInternet(router, "wan0", "nat" + n, natRouterPublicAddress(n));
        String routerLan = "192.168." + (100 + n) + ".1";
        Cmd.run("ip", "link", "add", "lan0", "netns", router, "type", "veth", "peer", "name", "eth0", "netns", client).orThrow();
        exec(router, "ip", "addr", "add", routerLan + "/24", "dev", "lan0").orThrow();
        exec(router, "ip", "link", "set", "lan0", "up").orThrow();
        exec(client, "ip", "addr", "add", natClientAddress(n) + "/24", "dev", "eth0").orThrow();
        exec(client, "ip", "link", "set", "eth0", "up").orThrow();
        exec(client, "ip", "route", "add", "default", "via", routerLan).orThrow();
        exec(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
        exec(router, "nft", "add", "table", "ip", "nat").orThrow();
        exec(router, "nft", "add", "chain", "ip", "nat", "postrouting",
                "{ type nat hook postrouting priority srcnat ; }").orThrow();
        exec(router, "nft", "add", "rule", "ip", "nat", "postrouting", "oifname", "wan0", "masquerade", "random").orThrow();
        return client;
    }

    private void attachToInternet(String ns, String inside, String bridgePort, String address) {
        String inet = internetNamespace();
        Cmd.run("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", bridgePort, "netns", inet).orThrow();
        exec(inet, "ip", "link", "set", bridgePort, "master", "br0", "up").orThrow();
        exec(ns, "ip", "addr", "add", address + "/24", "dev", inside).orThrow();
        exec(ns, "ip", "link", "set", inside, "up").orThrow();
    }

    private void startVmServices() {
        Path www = newDirectory("vm-www");
        try {
            Files.writeString(www.resolve("index.html"), VM_INDEX_BODY, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write the VM's web root: " + e.getMessage(), e);
        }
        // The JDK's own jwebserver (JEP 408): no extra package needed.
        Path jwebserver = Path.of(System.getProperty("java.home"), "bin", "jwebserver");
        List<String> http = Files.isExecutable(jwebserver)
                ? List.of(jwebserver.toString(), "-b", VM_ADDRESS, "-p", "80", "-d", www.toString(), "-o", "none")
                : List.of("python3", "-m", "http.server", "80", "--bind", VM_ADDRESS, "--directory", www.toString());
        BackgroundProcess web = background(vnetNamespace(), "vm-http", http);
        // --rcv-timeout: a test whose client vanished (its tunnel closed right after iperf3 exited) ends after 10 s of
        // silence instead of 120 s, so the next test does not get "the server is busy running a test" (iperf3 3.12).
        background(vnetNamespace(), "vm-iperf3", List.of("iperf3", "-s", "-B", VM_ADDRESS, "--rcv-timeout", "10000"));
        Instant end = Instant.now().plus(SERVICE_START_TIMEOUT);
        while (Instant.now().isBefore(end)) {
            if (httpGet(vnetNamespace(), VM_URL, Duration.ofSeconds(2)).filter(VM_INDEX_BODY::equals).isPresent()) {
                return;
            }
            if (!web.isAlive()) {
                break;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new LabException("the VM's HTTP server did not come up: " + web.tail(20));
    }

    // ---------------------------------------------------------------- more gateway instances (issue 17)

    /** Gateway instance k (0 is the seed's gateway) has the public address 198.51.100.(4+k). */
    public static final int MAX_GATEWAY_INSTANCES = FIRST_CLIENT_HOST - 4 - 1; // .4 .. .8, below the clients; .9 is spare
    /** An address of the internet segment itself (on its bridge), for services every namespace reaches: a shared store. */
    public static final String INTERNET_SERVICE_ADDRESS = "198.51.100.2";

    /** The public address of gateway instance {@code k} (0: {@link #GATEWAY_PUBLIC_ADDRESS}). */
    public static String gatewayPublicAddress(int k) {
        checkGatewayInstance(k);
        return "198.51.100." + (4 + k);
    }

    /** The GatewaySubnet address of gateway instance {@code k} (0: {@link #GATEWAY_SUBNET_ADDRESS}). */
    public static String gatewaySubnetAddress(int k) {
        checkGatewayInstance(k);
        return "10.1.255." + (4 + k);
    }

    /** The namespace of gateway instance {@code k} (0: {@link #gatewayNamespace()}). */
    public String gatewayNamespace(int k) {
        checkGatewayInstance(k);
        return k == 0 ? gatewayNamespace() : "p2sgw-" + runId + "-gw" + (k + 1);
    }

    private static void checkGatewayInstance(int k) {
        if (k < 0 || k >= MAX_GATEWAY_INSTANCES) {
            throw new IllegalArgumentException("gateway instance " + k + " does not exist (0.." + (MAX_GATEWAY_INSTANCES - 1) + ")");
        }
    }

    /**
     * Adds gateway instance {@code k >= 1} beside the seed's: its own namespace with a GatewaySubnet leg
     * (10.1.255.(4+k), a veth of its own to the VNet namespace, which answers as 10.1.255.1 on it too) and a public
     * leg 198.51.100.(4+k) on the internet bridge. The VNet routes no pool addresses to it until {@link #routePool}.
     * Removed with the lab.
     */
    public synchronized String addGatewayInstance(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("instance 0 is the seed's gateway, built with the lab");
        }
        String ns = gatewayNamespace(k);
        if (namespaces.contains(ns)) {
            return ns;
        }
        Cmd.run("ip", "netns", "add", ns).orThrow();
        namespaces.add(ns);
        exec(ns, "ip", "link", "set", "lo", "up").orThrow();
        String vnet = vnetNamespace();
        String vnetSide = "gwsub" + k;
        Cmd.run("ip", "link", "add", vnetSide, "netns", vnet, "type", "veth", "peer", "name", "vnet0", "netns", ns).orThrow();
        // The VNet router's address once more, as a /32: one subnet on two veths, each gateway reached by a host route.
        exec(vnet, "ip", "addr", "add", VNET_ROUTER_ADDRESS + "/32", "dev", vnetSide).orThrow();
        exec(vnet, "ip", "link", "set", vnetSide, "up").orThrow();
        exec(vnet, "ip", "route", "add", gatewaySubnetAddress(k) + "/32", "dev", vnetSide).orThrow();
        exec(ns, "ip", "addr", "add", gatewaySubnetAddress(k) + "/27", "dev", "vnet0").orThrow();
        exec(ns, "ip", "link", "set", "vnet0", "up").orThrow();
        exec(ns, "ip", "route", "add", VNET_PREFIX, "via", VNET_ROUTER_ADDRESS).orThrow();
        attachToInternet(ns, "public0", "gw" + (k + 1), gatewayPublicAddress(k));
        return ns;
    }

    /**
     * Points the VNet's route for {@code prefix} (part of the client pool) at gateway instance {@code k}, as Azure's
     * platform routes each instance's slice of an active-active pool to it, and all of it to the survivor.
     */
    public void routePool(String prefix, int k) {
        exec(vnetNamespace(), "ip", "route", "replace", prefix, "via", gatewaySubnetAddress(k)).orThrow();
    }

    /** Puts {@link #INTERNET_SERVICE_ADDRESS} on the internet bridge (once), for a service run in that namespace. */
    public synchronized String addInternetServiceAddress() {
        Cmd.Result has = exec(internetNamespace(), "ip", "-4", "-o", "addr", "show", "dev", "br0");
        if (!has.output().contains(INTERNET_SERVICE_ADDRESS + "/")) {
            exec(internetNamespace(), "ip", "addr", "add", INTERNET_SERVICE_ADDRESS + "/24", "dev", "br0").orThrow();
        }
        return INTERNET_SERVICE_ADDRESS;
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a command inside a namespace ({@code ip netns exec}) with the default time limit. */
    public Cmd.Result exec(String namespace, String... command) {
        return exec(namespace, Cmd.DEFAULT_TIMEOUT, List.of(command));
    }

    public Cmd.Result exec(String namespace, Duration timeout, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return Cmd.run(timeout, full);
    }

    /** A new directory inside the lab's scratch directory. */
    public Path newDirectory(String name) {
        try {
            return Files.createDirectories(scratch.resolve(name));
        } catch (IOException e) {
            throw new LabException("cannot create " + name + " in " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** Starts a process in a namespace, output to {@code <scratch>/<name>.log}; the lab kills it on close. */
    public BackgroundProcess background(String namespace, String name, List<String> command) {
        return background(namespace, name, command, Optional.empty());
    }

    public synchronized BackgroundProcess background(String namespace, String name, List<String> command, Optional<Path> pidFile) {
        if (closed) {
            throw new LabException("the lab is closed");
        }
        Path log = scratch.resolve(name + ".log");
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            BackgroundProcess bp = new BackgroundProcess(name, p, log, pidFile);
            processes.add(bp);
            return bp;
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the stock {@code openvpn} client in client namespace {@code i} with a profile file. Absolute paths,
     * {@code --cd} to the profile's directory (lab/README.md: "openvpn --daemon changes directory to /"), its own
     * pid file and log. Wait for it with {@link OpenVpnClient#awaitConnected}.
     */
    public OpenVpnClient startOpenVpn(int i, Path profile, List<String> extraArgs) {
        Path abs = profile.toAbsolutePath();
        // Each start has its own log: a reused log still holds the previous run's "Initialization Sequence
        // Completed", which a waiter could read before openvpn truncates the file.
        String name = "openvpn-c" + i + "-" + abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_")
                + "-" + starts.incrementAndGet();
        Path pid = scratch.resolve(name + ".pid");
        Path log = scratch.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of("openvpn", "--cd", abs.getParent().toString(), "--config", abs.toString(),
                "--writepid", pid.toString(), "--log", log.toString(), "--verb", "4"));
        cmd.addAll(extraArgs);
        BackgroundProcess bp = background(clientNamespace(i), name, cmd, Optional.of(pid));
        return new OpenVpnClient(this, i, bp);
    }

    /** True when {@code address} answers a ping from {@code namespace}. */
    public boolean ping(String namespace, String address, Duration timeout) {
        long secs = Math.max(1, timeout.toSeconds());
        return exec(namespace, timeout.plusSeconds(5),
                List.of("ping", "-c", "1", "-W", Long.toString(secs), address)).ok();
    }

    /** Whether the VM (10.1.0.4) answers one ping from client i's namespace: the check that its tunnel carries. */
    public boolean clientPingsVm(int i) {
        return ping(clientNamespace(i), VM_ADDRESS, VM_PING_TIMEOUT);
    }

    /** The body of {@link #VM_URL} fetched from client i's namespace (through its tunnel), or empty when that failed. */
    public Optional<String> clientFetchesVm(int i) {
        return httpGet(clientNamespace(i), VM_URL, VM_FETCH_TIMEOUT);
    }

    /** The body of an HTTP GET from inside a namespace, or empty when it failed. */
    public Optional<String> httpGet(String namespace, String url, Duration timeout) {
        Cmd.Result r = exec(namespace, timeout.plusSeconds(5),
                List.of("curl", "-sS", "--fail", "--max-time", Long.toString(Math.max(1, timeout.toSeconds())), url));
        return r.ok() ? Optional.of(r.output()) : Optional.empty();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- teardown

    /** Leaves the scratch directory (logs, profiles) in place on close, for a look after a failure. */
    public synchronized void keepScratch() {
        keepScratch = true;
    }

    /**
     * Kills the lab's processes (and anything else left running in its namespaces), deletes its namespaces
     * (which removes their veths and bridge) and the host link, and the scratch directory unless
     * {@code P2SGW_KEEP_LAB_SCRATCH} is set. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).close();
            } catch (RuntimeException e) {
                problems.add("process " + processes.get(i).name() + ": " + e.getMessage());
            }
        }
        for (String ns : namespaces) {
            // Daemons that detached from our process tree (openvpn --daemon, a server's children).
            Cmd.Result pids = Cmd.run("ip", "netns", "pids", ns);
            if (pids.ok()) {
                pids.output().lines().map(String::trim).filter(s -> s.matches("\\d+")).map(Long::parseLong)
                        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
        }
        for (String link : hostLinks) {
            Cmd.run("ip", "link", "del", link); // gone already if its peer's namespace went first
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            Cmd.Result r = Cmd.run("ip", "netns", "del", namespaces.get(i));
            if (!r.ok()) {
                problems.add("ip netns del " + namespaces.get(i) + ": " + r.output().strip());
            }
        }
        if (!keepScratch) {
            deleteTree(scratch);
        }
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (!problems.isEmpty()) {
            throw new LabException("lab teardown incomplete: " + String.join("; ", problems));
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
