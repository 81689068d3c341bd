package io.p2sgw.api.packages;

import io.javalin.Javalin;
import io.p2sgw.control.ArmException;

/**
 * {@code GET /vpnclientpackage/{token}/{file}.zip}: the package download, authorised by the token in the
 * URL only (azure-p2s.md §3.1). An unknown or expired token is a 404 that says so.
 */
public final class PackageRoutes {
    private final PackageDownloads downloads;

    public PackageRoutes(PackageDownloads downloads) {
        this.downloads = downloads;
    }

    public void register(Javalin app) {
        app.get("/vpnclientpackage/{token}/{file}", ctx -> {
            PackageDownloads.Download d = downloads.get(ctx.pathParam("token")).orElseThrow(() -> ArmException.notFound(
                    "PackageLinkExpired", "This client package link is unknown or has expired (links are valid for "
                            + downloads.ttl().toSeconds() + " s). Generate the package again."));
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
            ctx.header("Cache-Control", "no-store");
            ctx.result(d.zip());
        });
    }
}
