package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import io.p2sgw.dataplane.api.TunnelType;
import org.junit.jupiter.api.Test;

/**
 * Golden files pin every file of the package. To regenerate after an intended change:
 * {@code mvn -pl control verify -Dtest=GoldenPackageTest -Dp2sgw.golden.update=true}, then review the diff.
 */
class GoldenPackageTest {
    private static final Path GOLDEN = Path.of("src/test/resources/clientpackage/golden");
    private static final boolean UPDATE = Boolean.getBoolean("p2sgw.golden.update");

    private final ZipClientPackageBuilder builder = new ZipClientPackageBuilder();

    @Test
    void seedExampleOpenVpnAndIkev2() throws IOException {
        check("seed", Fixtures.seed());
    }

    @Test
    void allTunnelTypesWithDnsAndClientCertificate() throws IOException {
        check("all-with-client", Fixtures.seed(Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP),
                List.of("10.1.0.4", "10.1.0.5"), Optional.of(Fixtures.credentials())));
    }

    @Test
    void sstpOnlyHasNoGenericFolder() throws IOException {
        check("sstp-only", Fixtures.seed(Set.of(TunnelType.SSTP), List.of(), Optional.empty()));
    }

    @Test
    void zipIsDeterministicAndHoldsExactlyTheFiles() throws IOException {
        var in = Fixtures.seed();
        byte[] a = builder.buildZip(in);
        byte[] b = builder.buildZip(Fixtures.seed());
        assertArrayEquals(a, b, "same input, same bytes");
        List<PackageFile> files = builder.files(in);
        List<String> names = new ArrayList<>();
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(a))) {
            ZipEntry e;
            int i = 0;
            while ((e = zin.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(LocalDateTime.of(1980, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
                assertArrayEquals(files.get(i).content(), zin.readAllBytes(), e.getName());
                i++;
            }
        }
        assertEquals(files.stream().map(PackageFile::path).toList(), names);
        assertEquals("README.txt", names.getFirst());
    }

    private void check(String name, ClientPackageInput in) throws IOException {
        Path dir = GOLDEN.resolve(name);
        List<PackageFile> files = builder.files(in);
        if (UPDATE) {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            for (PackageFile f : files) {
                Path p = dir.resolve(f.path());
                Files.createDirectories(p.getParent());
                Files.write(p, f.content());
            }
        }
        List<String> golden;
        try (Stream<Path> s = Files.walk(dir)) {
            golden = s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
        assertEquals(golden, files.stream().map(PackageFile::path).sorted().toList(), "the package's file list");
        for (PackageFile f : files) {
            byte[] want = Files.readAllBytes(dir.resolve(f.path()));
            if (f.path().endsWith(".cer")) {
                assertArrayEquals(want, f.content(), f.path());
            } else {
                assertEquals(new String(want, StandardCharsets.UTF_8), new String(f.content(), StandardCharsets.UTF_8), f.path());
            }
        }
    }
}
