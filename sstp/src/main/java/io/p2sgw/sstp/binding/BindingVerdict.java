package io.p2sgw.sstp.binding;

import io.p2sgw.sstp.wire.AttributeId;
import io.p2sgw.sstp.wire.SstpStatus;

/** The outcome of checking a CALL_CONNECTED ([MS-SSTP] 3.3.5.2.3). */
public sealed interface BindingVerdict {
    /** The binding holds; {@code layout} says which HLAK the client used (for logs and metrics, sstp.md §3.4). */
    record Verified(HashProtocol hash, HlakLayout layout) implements BindingVerdict {
    }

    /** The binding fails: abort the call with this Status Info, and log {@code reason}. */
    record Refused(AttributeId attribute, SstpStatus status, String reason) implements BindingVerdict {
    }
}
