package io.p2sgw.sstp.ppp;

import io.p2sgw.testkit.bytes.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Records what the engine does, frames as hex, events as text. */
final class RecordingHost implements PppServerEngine.Host {
    final List<String> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    Optional<IpcpLease> lease = Optional.of(IpcpLease.of(0xAC10C90A)); // 172.16.201.10

    @Override
    public void send(byte[] frame) {
        sent.add(Hex.hex(frame));
    }

    @Override
    public void authenticated(String identity, EapServerMethod.Step.Success success) {
        events.add("authenticated " + identity + " " + success.subject() + " msk " + Hex.hex(success.msk()).substring(0, 8));
    }

    @Override
    public Optional<IpcpLease> leaseAddress() {
        events.add("lease");
        return lease;
    }

    @Override
    public void networkUp(int clientAddress) {
        events.add("up " + Integer.toHexString(clientAddress));
    }

    @Override
    public void ipv4(byte[] buf, int off, int len) {
        events.add("ip " + Hex.hex(Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void linkDown(String reason) {
        events.add("down " + reason);
    }

    /** The frames sent since the last call. */
    List<String> take() {
        List<String> out = List.copyOf(sent);
        sent.clear();
        return out;
    }
}
