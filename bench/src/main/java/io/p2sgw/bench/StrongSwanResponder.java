package io.p2sgw.bench;

import io.p2sgw.lab.Lab;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * strongSwan's own IKEv2 responder (charon 5.9.8 with kernel-libipsec, the userspace ESP this kernel allows) in the
 * gateway namespace on 198.51.100.4, set up as the p2sgw gateway is: the same server certificate and key, the same
 * client root, the same pool and VNet traffic selector ({@link IkeProfiles#responderSwanctl}). Its session count is
 * {@code swanctl --stats}; its memory is charon's RSS.
 */
final class StrongSwanResponder implements VpnServer {
    private final Charon charon;
    private final Path savedLog;

    private StrongSwanResponder(Charon charon, Path savedLog) {
        this.charon = charon;
        this.savedLog = savedLog;
    }

    /** Lays out a swanctl directory from the bench's server files in {@code serverDir} and starts charon. */
    static StrongSwanResponder start(Lab lab, Path serverDir, Path savedLog) {
        Path dir = lab.newDirectory("strongswan-responder");
        try {
            for (String sub : List.of("x509", "x509ca", "private")) {
                Files.createDirectories(dir.resolve(sub));
            }
            List<X509Certificate> chain = Pem.readCertificates(Files.readString(serverDir.resolve(GatewayMain.SERVER_CHAIN)));
            // swanctl takes one certificate per file: the leaf is ours, the rest of the chain is the CA.
            Files.writeString(dir.resolve("x509").resolve(IkeProfiles.RESPONDER_CERT), Pem.certificatesToPem(List.of(chain.getFirst())));
            if (chain.size() > 1) {
                Files.writeString(dir.resolve("x509ca").resolve(IkeProfiles.RESPONDER_SERVER_CA), Pem.certificatesToPem(List.of(chain.getLast())));
            }
            Path key = dir.resolve("private").resolve(IkeProfiles.RESPONDER_KEY);
            Files.copy(serverDir.resolve(GatewayMain.SERVER_KEY), key);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.copy(serverDir.resolve(GatewayMain.CLIENT_ROOT), dir.resolve("x509ca").resolve(IkeProfiles.RESPONDER_CLIENT_ROOT));
            Files.writeString(dir.resolve("swanctl.conf"), IkeProfiles.responderSwanctl());
        } catch (IOException e) {
            throw new IllegalStateException("cannot lay out strongSwan's responder directory: " + e.getMessage(), e);
        }
        Charon c = Charon.start(lab, lab.gatewayNamespace(), dir, IkeProfiles.responderCharonConf(dir), "strongswan-responder");
        return new StrongSwanResponder(c, savedLog);
    }

    @Override
    public String label() {
        return "strongSwan";
    }

    @Override
    public Memory memory() {
        return new Memory(OptionalLong.empty(), ProcStatus.rssBytes(charon.pid()), sessions());
    }

    @Override
    public long pid() {
        return charon.pid();
    }

    @Override
    public OptionalInt sessions() {
        return charon.ikeSas();
    }

    @Override
    public boolean isAlive() {
        return charon.isAlive();
    }

    @Override
    public String tail() {
        return charon.tail();
    }

    @Override
    public void close() {
        try {
            if (Files.exists(charon.log())) {
                Files.copy(charon.log(), savedLog, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ignored) {
            // only a copy for reading afterwards
        }
        charon.close();
    }
}
