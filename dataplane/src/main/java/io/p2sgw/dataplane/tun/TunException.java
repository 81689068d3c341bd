package io.p2sgw.dataplane.tun;

import java.io.IOException;

/** A TUN operation failed; the message names the system call, errno and, for EPERM, the missing capability. */
public final class TunException extends IOException {
    private final int errno;

    public TunException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** EPERM or EACCES: the process lacks CAP_NET_ADMIN in its network namespace. */
    public boolean isPermissionProblem() {
        return errno == LinuxTun.EPERM || errno == LinuxTun.EACCES;
    }
}
