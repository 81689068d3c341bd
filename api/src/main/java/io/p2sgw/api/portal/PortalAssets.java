package io.p2sgw.api.portal;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the portal (static ES modules under {@code classpath:/portal/}) at {@code /portal/}, and redirects
 * {@code /} there. The portal talks to the same origin's API with the bearer token the user signs in with.
 */
public final class PortalAssets {
    private static final String ROOT = "portal/";
    /** Asset paths: plain names in plain directories, nothing that could climb out of ROOT. */
    private static final Pattern SAFE = Pattern.compile("([A-Za-z0-9_-]+/)*[A-Za-z0-9_.-]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");
    /** script-src 'self': no inline script; inline style attributes are used by the DOM helpers. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    public void register(Javalin app) {
        app.get("/", ctx -> ctx.redirect("/portal/"));
        app.get("/portal", ctx -> ctx.redirect("/portal/"));
        app.get("/portal/", ctx -> serve(ctx, "index.html"));
        app.get("/portal/<asset>", ctx -> serve(ctx, ctx.pathParam("asset")));
    }

    private void serve(Context ctx, String asset) {
        if (asset.isEmpty()) {
            asset = "index.html";
        }
        if (!SAFE.matcher(asset).matches() || asset.contains("..")) {
            ctx.status(404).result("not found");
            return;
        }
        Optional<byte[]> bytes = cache.computeIfAbsent(asset, PortalAssets::load);
        if (bytes.isEmpty()) {
            ctx.status(404).result("not found");
            return;
        }
        String ext = asset.substring(asset.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.result(bytes.get());
    }

    private static Optional<byte[]> load(String asset) {
        try (InputStream in = PortalAssets.class.getClassLoader().getResourceAsStream(ROOT + asset)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
