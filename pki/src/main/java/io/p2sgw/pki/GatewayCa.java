package io.p2sgw.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's own CA and server certificate (DESIGN.md "Choices already made"; azure-p2s.md §4.1).
 *
 * <p>Files in the PKI directory:
 * <ul>
 *   <li>{@value #CA_KEY} (mode 0600) and {@value #CA_CERT}: the gateway CA, created on first start.
 *       Its certificate is the server root clients receive ({@code VpnServerRoot.cer}, OpenVPN {@code <ca>}).</li>
 *   <li>{@value #SERVER_KEY} (mode 0600) and {@value #SERVER_CERT} (server certificate then CA, PEM):
 *       issued from that CA; reissued when the server name or IP addresses change, when it no longer
 *       chains to the CA, or when it expires within {@link #RENEW_BEFORE}.</li>
 *   <li>Operator-supplied identity: if {@value #OPERATOR_CERT} (PEM chain, leaf first, ending with the
 *       root clients should trust) and {@value #OPERATOR_KEY} (PEM private key, unencrypted) exist,
 *       they are used as is and nothing is created. The last certificate of the chain becomes the
 *       server root of client packages.</li>
 * </ul>
 * The server certificate meets what Windows, Apple, strongSwan, OpenVPN and SSTP clients require
 * (ikev2.md §9.6, openvpn.md §10.2, sstp.md §5.2): see {@link CertificateIssuer}.
 */
public final class GatewayCa {
    public static final String CA_KEY = "gateway-ca.key";
    public static final String CA_CERT = "gateway-ca.crt";
    public static final String SERVER_KEY = "server.key";
    public static final String SERVER_CERT = "server.crt";
    public static final String OPERATOR_KEY = "operator-server.key";
    public static final String OPERATOR_CERT = "operator-server.crt";
    /** Reissue the server certificate when it has less than this left. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);

    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Clock clock;
    private final CertificateIssuer issuer;

    public GatewayCa(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.issuer = new CertificateIssuer(clock, random);
    }

    /** {@link #load} with the system clock. */
    public static ServerIdentity loadOrCreate(Path pkiDir, String serverName, List<String> ipAddresses) {
        return new GatewayCa(Clock.systemUTC(), new SecureRandom()).load(pkiDir, serverName, ipAddresses);
    }

    public ServerIdentity load(Path pkiDir, String serverName, List<String> ipAddresses) {
        if (serverName.isBlank()) {
            throw new PkiException("the gateway server name must not be empty");
        }
        try {
            ensureDirectory(pkiDir);
            Optional<ServerIdentity> operator = loadOperatorIdentity(pkiDir);
            if (operator.isPresent()) {
                return operator.get();
            }
            KeyAndChain ca = loadOrCreateCa(pkiDir, serverName);
            KeyAndChain server = loadOrIssueServer(pkiDir, ca, serverName, ipAddresses);
            return new ServerIdentity(server.key(), server.chain(), ca.certificate());
        } catch (IOException e) {
            throw new PkiException("cannot use the PKI directory " + pkiDir + ": " + e.getMessage(), e);
        }
    }

    private static Optional<ServerIdentity> loadOperatorIdentity(Path dir) throws IOException {
        Path cert = dir.resolve(OPERATOR_CERT);
        Path key = dir.resolve(OPERATOR_KEY);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (!hasCert && !hasKey) {
            return Optional.empty();
        }
        if (hasCert != hasKey) {
            throw new PkiException("an operator-supplied server identity needs both " + cert + " and " + key);
        }
        KeyAndChain kc = readPair(cert, key);
        return Optional.of(new ServerIdentity(kc.key(), kc.chain(), kc.chain().getLast()));
    }

    /**
     * The gateway CA in {@code pkiDir}, if both its files are there. Instances that share a store share one CA
     * (issue 17): the server copies the store's into each data directory before {@link #load} issues the
     * instance's own server certificate from it.
     *
     * @throws PkiException when only one of the two files exists, or they do not match
     */
    public Optional<KeyAndChain> readCa(Path pkiDir) {
        try {
            return readCaFiles(pkiDir);
        } catch (IOException e) {
            throw new PkiException("cannot read the gateway CA in " + pkiDir + ": " + e.getMessage(), e);
        }
    }

    /** A new gateway CA, in memory only. */
    public KeyAndChain createCa(String serverName) {
        return issuer.createRoot("p2sgw gateway CA " + serverName, KeyType.RSA2048, CA_VALIDITY);
    }

    /** Writes {@code ca} as the gateway CA of {@code pkiDir} (key mode 0600), replacing nothing that exists. */
    public void writeCa(Path pkiDir, KeyAndChain ca) {
        try {
            ensureDirectory(pkiDir);
            if (Files.exists(pkiDir.resolve(CA_CERT)) || Files.exists(pkiDir.resolve(CA_KEY))) {
                throw new PkiException(pkiDir + " already has a gateway CA");
            }
            writeKey(pkiDir.resolve(CA_KEY), Pem.privateKeyToPem(ca.key()));
            writeAtomically(pkiDir.resolve(CA_CERT), Certificates.toPem(ca.certificate()));
        } catch (IOException e) {
            throw new PkiException("cannot write the gateway CA to " + pkiDir + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code pkiDir} holds an operator-supplied server identity, which replaces the gateway CA. */
    public static boolean hasOperatorIdentity(Path pkiDir) {
        return Files.exists(pkiDir.resolve(OPERATOR_CERT)) || Files.exists(pkiDir.resolve(OPERATOR_KEY));
    }

    private KeyAndChain loadOrCreateCa(Path dir, String serverName) throws IOException {
        Optional<KeyAndChain> existing = readCaFiles(dir);
        if (existing.isPresent()) {
            return existing.get();
        }
        KeyAndChain ca = createCa(serverName);
        writeKey(dir.resolve(CA_KEY), Pem.privateKeyToPem(ca.key()));
        writeAtomically(dir.resolve(CA_CERT), Certificates.toPem(ca.certificate()));
        return ca;
    }

    private Optional<KeyAndChain> readCaFiles(Path dir) throws IOException {
        Path cert = dir.resolve(CA_CERT);
        Path key = dir.resolve(CA_KEY);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert && hasKey) {
            KeyAndChain ca = readPair(cert, key);
            issuer.checkIssuer(ca);
            return Optional.of(ca);
        }
        if (hasCert || hasKey) {
            throw new PkiException("the gateway CA is incomplete: " + (hasCert ? key : cert) + " is missing; "
                    + "restore it, or remove " + (hasCert ? cert : key) + " to create a new CA (clients must then get a new package)");
        }
        return Optional.empty();
    }

    private KeyAndChain loadOrIssueServer(Path dir, KeyAndChain ca, String serverName, List<String> ips) throws IOException {
        Path cert = dir.resolve(SERVER_CERT);
        Path key = dir.resolve(SERVER_KEY);
        List<String> dnsNames = isIpLiteral(serverName) ? List.of() : List.of(serverName);
        List<String> ipSans = ips.stream().distinct().toList();
        if (isIpLiteral(serverName) && !ipSans.contains(serverName)) {
            ipSans = java.util.stream.Stream.concat(java.util.stream.Stream.of(serverName), ipSans.stream()).toList();
        }
        if (Files.exists(cert) && Files.exists(key)) {
            try {
                KeyAndChain existing = readPair(cert, key);
                if (upToDate(existing.certificate(), ca.certificate(), serverName, dnsNames, ipSans)) {
                    return new KeyAndChain(existing.key(), List.of(existing.certificate(), ca.certificate()));
                }
            } catch (PkiException e) {
                // unreadable or mismatched: issue a fresh one below
            }
        }
        KeyAndChain server = issuer.createServer(ca, serverName, dnsNames, ipSans, KeyType.RSA2048,
                CertificateIssuer.DEFAULT_SERVER_VALIDITY);
        writeKey(key, Pem.privateKeyToPem(server.key()));
        writeAtomically(cert, Pem.certificatesToPem(server.chain()));
        return server;
    }

    private boolean upToDate(X509Certificate server, X509Certificate ca, String serverName,
                             List<String> dnsNames, List<String> ips) {
        try {
            server.verify(ca.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        if (!server.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                || !Certificates.commonName(server).equals(serverName)) {
            return false;
        }
        if (server.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> want = new HashSet<>();
        dnsNames.forEach(d -> want.add("2:" + d));
        ips.forEach(ip -> {
            want.add("2:" + ip);
            want.add("7:" + InetAddress.ofLiteral(ip).getHostAddress());
        });
        return want.equals(sans(server));
    }

    private static Set<String> sans(X509Certificate c) {
        Set<String> out = new HashSet<>();
        try {
            Collection<List<?>> names = c.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    String value = String.valueOf(n.get(1));
                    if (type == 7) {
                        value = InetAddress.ofLiteral(value).getHostAddress();
                    }
                    out.add(type + ":" + value);
                }
            }
        } catch (CertificateParsingException | RuntimeException e) {
            out.add("unparseable");
        }
        return out;
    }

    static boolean isIpLiteral(String s) {
        if (!(s.matches("[0-9.]+") || s.contains(":"))) {
            return false;
        }
        try {
            InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyAndChain readPair(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = Pem.readCertificates(Files.readString(certFile, StandardCharsets.US_ASCII));
        if (chain.isEmpty()) {
            throw new PkiException(certFile + " holds no PEM certificate");
        }
        var key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), Optional.empty());
        if (!Keys.matches(key, chain.getFirst().getPublicKey())) {
            throw new PkiException("the private key in " + keyFile + " does not match the certificate in " + certFile);
        }
        return new KeyAndChain(key, chain);
    }

    private static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException e) {
                throw new PkiException(dir + " exists and is not a directory", e);
            }
        }
    }

    /** Key files are created with mode 0600 from the start, never chmod-ed after being written. */
    static void writeKey(Path target, String pem) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".key", PosixFilePermissions.asFileAttribute(KEY_MODE));
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        move(tmp, target);
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".crt");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        move(tmp, target);
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
