package io.p2sgw.api.auth;

import io.javalin.http.Context;
import io.p2sgw.api.http.CloudErrors;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks {@code Authorization: Bearer <token>} on every API request and puts the {@link Principal} on the
 * context. Readers may only read; the token itself is never logged or echoed.
 */
public final class BearerAuth {
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuth.class);
    private static final String ATTRIBUTE = "p2sgw.principal";
    private static final String PREFIX = "bearer ";

    private final TokenService tokens;

    public BearerAuth(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Authenticates or throws the ARM 401 error. */
    public Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw CloudErrors.authenticationMissing();
        }
        if (header.length() <= PREFIX.length() || !header.substring(0, PREFIX.length()).equalsIgnoreCase(PREFIX)) {
            throw CloudErrors.invalidToken();
        }
        Optional<Principal> p = tokens.authenticate(header.substring(PREFIX.length()).trim());
        if (p.isEmpty()) {
            LOG.info("refused {} {} from {}: unknown or revoked token", ctx.method(), ctx.path(), ctx.ip());
            throw CloudErrors.invalidToken();
        }
        ctx.attribute(ATTRIBUTE, p.get());
        return p.get();
    }

    /** The principal of an authenticated request. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return p;
    }

    /** Writes and actions need Contributor (azure-p2s.md §6.1: viewing and disconnecting sessions too). */
    public static void requireContributor(Context ctx, String action) {
        Principal p = principal(ctx);
        if (p.role() != Role.CONTRIBUTOR) {
            throw CloudErrors.forbidden(p.name(), action, ctx.path());
        }
    }
}
