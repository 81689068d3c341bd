package io.p2sgw.lab.demo;

import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import io.p2sgw.pki.KeyAndChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The stock strongSwan client (charon + swanctl, kernel-libipsec) with the package's own {@code strongSwan/} profile,
 * only the client's certificate and key added where its README.txt says (x509/client.pem, private/client.key).
 */
final class StrongSwanDemoClient extends NamespaceDemoClient {
    /** What {@code swanctl --initiate} prints when the CHILD SA is up. */
    static final String INITIATED = "initiate completed successfully";
    static final Path CHARON = Path.of("/usr/sbin/charon-systemd");

    private final Path profile;
    private StrongSwanClient charon;
    private String lastInitiate = "";

    /** @param profile the package's strongSwan/ folder, unpacked */
    StrongSwanDemoClient(Lab lab, int index, KeyAndChain certificate, Path profile) {
        super(lab, index, certificate);
        this.profile = profile;
    }

    /** Why strongSwan cannot run here (scripts/install-deps.sh installs charon-systemd and swanctl). */
    static Optional<String> whyUnavailable() {
        if (!Files.isExecutable(CHARON) || !Cmd.run("sh", "-c", "command -v swanctl").ok()) {
            return Optional.of("strongSwan is not installed (apt-get install --no-install-recommends charon-systemd "
                    + "strongswan-swanctl libstrongswan-extra-plugins libcharon-extra-plugins)");
        }
        return Optional.empty();
    }

    @Override
    public String tunnelType() {
        return "IKEv2";
    }

    @Override
    public String commandLine() {
        return "ip netns exec " + namespace() + " swanctl --load-all && swanctl --initiate --child "
                + SeedWalkthrough.GATEWAY + "   (the package's strongSwan/ folder as /etc/swanctl)";
    }

    @Override
    public boolean connect(Duration timeout) {
        close();
        charon = StrongSwanClient.start(lab, index, profile, certificate());
        Cmd.Result r = charon.initiate(timeout);
        lastInitiate = r.output();
        return r.ok() && r.output().contains(INITIATED);
    }

    @Override
    public Optional<String> address() {
        return charon == null ? Optional.empty() : charon.virtualAddress();
    }

    @Override
    public boolean stillUp() {
        return charon != null && !charon.log().contains("received DELETE for IKE_SA") && pingsVm();
    }

    @Override
    public String diagnostics() {
        if (charon == null) {
            return "(not started)";
        }
        List<String> log = charon.log().lines().toList();
        return "swanctl --initiate:\n" + lastInitiate.strip() + "\ncharon.log:\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 25), log.size()));
    }

    @Override
    public void close() {
        if (charon != null) {
            charon.close();
            charon = null;
        }
    }
}
