package io.p2sgw.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of DESIGN.md ("Modules"), over the main classes of every module (this module's test class
 * path holds them all, and a new protocol module is wired here, so its classes are checked too): protocol modules
 * never import {@code control}, {@code control} never imports a protocol module, and both meet only at the
 * data-plane contract ({@code dataplane-api}: packages {@code io.p2sgw.dataplane.api} and {@code .spi}). The
 * protocol packages are listed ahead of their modules (IKEv2, SSTP), so the rules hold from their first class on.
 */
@AnalyzeClasses(packages = "io.p2sgw", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRulesTest {
    /** The protocol modules (DESIGN.md "Modules"; {@code tls} is the protocols' shared TLS and EAP-TLS). */
    static final String[] PROTOCOLS = {"io.p2sgw.tls..", "io.p2sgw.openvpn..", "io.p2sgw.ikev2..", "io.p2sgw.sstp.."};
    static final String CONTROL = "io.p2sgw.control..";

    @ArchTest
    static final ArchRule protocolsNeverImportControl = noClasses().that().resideInAnyPackage(PROTOCOLS)
            .should().dependOnClassesThat().resideInAnyPackage(CONTROL)
            .because("protocol modules never import control; they meet at dataplane-api (DESIGN.md)");

    @ArchTest
    static final ArchRule controlNeverImportsAProtocol = noClasses().that().resideInAnyPackage(CONTROL)
            .should().dependOnClassesThat().resideInAnyPackage(PROTOCOLS)
            .because("control never imports a protocol module; they meet at dataplane-api (DESIGN.md)");

    @ArchTest
    static final ArchRule protocolsSeeTheCoreOnlyThroughTheContract = noClasses().that().resideInAnyPackage(PROTOCOLS)
            .should().dependOnClassesThat(dataPlaneInsides())
            .because("protocols and the data-plane core meet at dataplane-api (DESIGN.md)");

    @ArchTest
    static final ArchRule controlSeesTheDataPlaneOnlyThroughTheContract = noClasses().that().resideInAnyPackage(CONTROL)
            .should().dependOnClassesThat(dataPlaneInsides())
            .because("the control plane hands the data plane a snapshot and reads session events, nothing else (DESIGN.md)");

    @ArchTest
    static final ArchRule theContractKnowsNeitherSide = classes().that().resideInAnyPackage("io.p2sgw.dataplane.api..",
                    "io.p2sgw.dataplane.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.p2sgw.dataplane.api..",
                    "io.p2sgw.dataplane.spi..", "io.p2sgw.common..")
            .because("dataplane-api is where both sides meet, so it depends on neither (DESIGN.md)");

    @ArchTest
    static final ArchRule oneCertificateNameParser = noClasses().that().resideOutsideOfPackage("io.p2sgw.pki..")
            // Bouncy Castle's TLS takes the CertificateRequest's authorities as X500Names: that class copies the roots'
            // encoded subjects into them and reads no name.
            .and().haveNameNotMatching("io\\.p2sgw\\.tls\\.eap\\.Rfc5216Tls12Connection.*")
            .should().dependOnClassesThat().resideInAnyPackage("javax.naming.ldap..", "org.bouncycastle.asn1.x500..")
            .because("a certificate's CN is read in one place, io.p2sgw.pki.Certificates.commonName, which RFC 4514"
                    + " escapes cannot fool (issue 12)");

    /** Classes of the data-plane module proper: io.p2sgw.dataplane.* outside the contract's two packages. */
    private static DescribedPredicate<JavaClass> dataPlaneInsides() {
        return DescribedPredicate.describe("are in the data plane but outside its contract (io.p2sgw.dataplane.api, .spi)",
                c -> inPackage(c, "io.p2sgw.dataplane") && !inPackage(c, "io.p2sgw.dataplane.api")
                        && !inPackage(c, "io.p2sgw.dataplane.spi"));
    }

    private static boolean inPackage(JavaClass c, String pkg) {
        return c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + ".");
    }
}
