package io.p2sgw.control.service;

import io.p2sgw.control.ArmException;
import java.util.Optional;

/**
 * HTTP conditional headers on a write (ARM optimistic concurrency): {@code If-Match} with an etag or
 * {@code *}, {@code If-None-Match: *}. A mismatch is 412 PreconditionFailed and nothing changes.
 */
public record Preconditions(Optional<String> ifMatch, Optional<String> ifNoneMatch) {
    public static final Preconditions NONE = new Preconditions(Optional.empty(), Optional.empty());

    public static Preconditions ifMatch(String etag) {
        return new Preconditions(Optional.of(etag), Optional.empty());
    }

    /** Checks against the current etag (empty when the resource does not exist). */
    public void check(String id, Optional<String> currentEtag) {
        if (ifMatch.isPresent()) {
            String m = ifMatch.get().trim();
            boolean ok = currentEtag.isPresent() && (m.equals("*") || m.equals(currentEtag.get())
                    || m.equals(stripWeak(currentEtag.get())));
            if (!ok) {
                throw ArmException.preconditionFailed(id);
            }
        }
        if (ifNoneMatch.isPresent() && currentEtag.isPresent()) {
            String m = ifNoneMatch.get().trim();
            if (m.equals("*") || m.equals(currentEtag.get())) {
                throw ArmException.preconditionFailed(id);
            }
        }
    }

    private static String stripWeak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
