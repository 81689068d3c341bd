package io.p2sgw.lab.demo;

import io.p2sgw.lab.Lab;
import io.p2sgw.pki.KeyAndChain;
import java.time.Duration;
import java.util.Optional;

/**
 * A demo client whose tunnel ends in its lab client namespace (openvpn's TUN device, strongSwan's kernel-libipsec
 * TUN device), so the checks through the tunnel are the lab's own: a ping of 10.1.0.4 and a fetch of
 * {@link Lab#VM_URL} from that namespace. The SSTP client differs: its tunnel ends inside a UML guest, which runs the checks itself.
 */
abstract class NamespaceDemoClient implements DemoClient {
    protected final Lab lab;
    protected final int index;
    private final KeyAndChain certificate;

    NamespaceDemoClient(Lab lab, int index, KeyAndChain certificate) {
        this.lab = lab;
        this.index = index;
        this.certificate = certificate;
    }

    /** The client's namespace, where it runs and where the checks run. */
    protected final String namespace() {
        return lab.clientNamespace(index);
    }

    @Override
    public final KeyAndChain certificate() {
        return certificate;
    }

    @Override
    public final boolean pingsVm() {
        return lab.clientPingsVm(index);
    }

    @Override
    public final Optional<String> fetchVm() {
        return lab.clientFetchesVm(index);
    }

    @Override
    public final String checksRunFrom() {
        return "namespace " + namespace();
    }

    /** The client started again as at first; it is stopped again before this returns, whatever happened. */
    @Override
    public final boolean reconnects(Duration timeout) {
        try {
            return connect(timeout);
        } finally {
            close();
        }
    }
}
