package io.p2sgw.lab.demo;

import io.p2sgw.pki.KeyAndChain;
import java.time.Duration;
import java.util.Optional;

/**
 * One stock VPN client of the demo, in its own client namespace with its own certificate (so revoking one
 * certificate ends one client's session only). The demo drives all tunnel types through this one shape.
 */
interface DemoClient extends AutoCloseable {
    /** The tunnel type as the health API names it: the prefix of {@code vpnConnectionId} (azure-p2s.md §6.1). */
    String tunnelType();

    /** The client certificate this client presents; its CN is the session's {@code vpnUserName}. */
    KeyAndChain certificate();

    /** The command line a user would run, for the narration. */
    String commandLine();

    /** Starts the client and waits until its tunnel is up or it gave up; true when up. */
    boolean connect(Duration timeout);

    /** The address the client got from the pool, once connected. */
    Optional<String> address();

    /** Whether 10.1.0.4 answered a ping through the tunnel. */
    boolean pingsVm();

    /** The body of {@code http://10.1.0.4/} fetched through the tunnel, if that worked. */
    Optional<String> fetchVm();

    /** Where the ping and the fetch run (printed with them). */
    String checksRunFrom();

    /** After another client's certificate was revoked: is this client's tunnel still up? */
    boolean stillUp();

    /**
     * After this client's certificate was revoked: starts the client once more with the same certificate and waits;
     * true if the gateway let it connect (which it must not).
     */
    boolean reconnects(Duration timeout);

    /** The client's logs, for a failure message. */
    String diagnostics();

    @Override
    void close();
}
