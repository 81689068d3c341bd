package io.p2sgw.dataplane.tun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinuxTunErrorsTest {
    @Test
    void permissionErrorsNameTheMissingCapability() {
        assertTrue(LinuxTun.describe(LinuxTun.EPERM).contains("CAP_NET_ADMIN"));
        assertTrue(LinuxTun.describe(LinuxTun.EACCES).contains("CAP_NET_ADMIN"));
        assertTrue(new TunException("x", LinuxTun.EPERM).isPermissionProblem());
        assertFalse(new TunException("x", 16).isPermissionProblem());
    }

    @Test
    void interfaceNamesAreBoundedByIfnamsiz() {
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.open("a-name-longer-than-15"));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.open(""));
    }
}
