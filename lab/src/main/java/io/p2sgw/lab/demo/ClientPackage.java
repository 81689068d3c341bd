package io.p2sgw.lab.demo;

import io.p2sgw.lab.LabException;
import io.p2sgw.pki.Certificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the files a user takes from the downloaded client package (azure-p2s.md §3.2 layout plus p2sgw's
 * {@code strongSwan/} folder): a whole folder unpacked as the README.txt tells strongSwan users to copy it, and the
 * gateway's server root as the Windows script and sstpc use it. Every entry is bounded in size and count, and no entry
 * may leave the target directory.
 */
public final class ClientPackage {
    /** The strongSwan profile's folder (control's ZipClientPackageBuilder). */
    public static final String STRONGSWAN_FOLDER = "strongSwan/";
    /** The root of the gateway's server certificate in DER, beside the Windows script. */
    public static final String SERVER_ROOT_ENTRY = "Windows/VpnServerRoot.cer";
    /** A package file is a few KB; refuse to inflate more than this from one entry. */
    public static final int MAX_ENTRY_BYTES = 1024 * 1024;
    /** Bound on zip entries scanned. */
    public static final int MAX_ENTRIES = 1000;

    private final byte[] zip;

    private ClientPackage(byte[] zip) {
        this.zip = zip;
    }

    public static ClientPackage read(Path zipFile) {
        try {
            return new ClientPackage(Files.readAllBytes(zipFile));
        } catch (IOException e) {
            throw new LabException("cannot read the client package " + zipFile + ": " + e.getMessage(), e);
        }
    }

    static ClientPackage of(byte[] zip) {
        return new ClientPackage(zip.clone());
    }

    /** The bytes of one entry, if the package has it. */
    public Optional<byte[]> entry(String name) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            for (int n = 0; (e = in.getNextEntry()) != null && n < MAX_ENTRIES; n++) {
                if (e.getName().equals(name)) {
                    return Optional.of(boundedRead(in, name));
                }
            }
            return Optional.empty();
        } catch (IOException ex) {
            throw new LabException("the client package is not a readable zip: " + ex.getMessage(), ex);
        }
    }

    /**
     * Unpacks every file under {@code folder} (e.g. {@code strongSwan/}) into {@code target}, keeping the layout below
     * it; returns how many files were written. An entry naming {@code ..} is refused.
     */
    public int unpackFolder(String folder, Path target) {
        int files = 0;
        Path root = target.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            for (int n = 0; (e = in.getNextEntry()) != null && n < MAX_ENTRIES; n++) {
                if (!e.getName().startsWith(folder) || e.isDirectory()) {
                    continue;
                }
                Path out = root.resolve(e.getName().substring(folder.length())).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new LabException("the client package's entry " + e.getName() + " leaves " + folder);
                }
                Files.createDirectories(out.getParent());
                Files.write(out, boundedRead(in, e.getName()));
                files++;
            }
        } catch (IOException ex) {
            throw new LabException("cannot unpack " + folder + " from the client package: " + ex.getMessage(), ex);
        }
        if (files == 0) {
            throw new LabException("the client package has no " + folder + " folder");
        }
        return files;
    }

    /**
     * The gateway's server root as PEM, from the DER file the Windows script imports: what {@code sstpc --ca-cert}
     * and pppd's {@code ca} take ({@code openssl x509 -inform der -in VpnServerRoot.cer}).
     */
    public String serverRootPem() {
        byte[] der = entry(SERVER_ROOT_ENTRY).orElseThrow(() -> new LabException("the client package has no " + SERVER_ROOT_ENTRY));
        return Certificates.toPem(Certificates.parseDer(der, SERVER_ROOT_ENTRY));
    }

    private static byte[] boundedRead(ZipInputStream in, String name) throws IOException {
        byte[] b = in.readNBytes(MAX_ENTRY_BYTES + 1);
        if (b.length > MAX_ENTRY_BYTES) {
            throw new LabException("the client package's " + name + " is larger than " + MAX_ENTRY_BYTES + " bytes");
        }
        return b;
    }
}
