package io.p2sgw.cli.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A loopback HTTP server that records requests and answers from a script; for argument-to-request tests. */
public final class FakeArmServer implements AutoCloseable {
    public record Request(String method, String path, String query, String body, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse("");
        }
    }

    public record Response(int status, String body, Map<String, String> headers) {
        private static final String BINARY = "X-Fake-Binary";

        public static Response json(int status, String body) {
            return new Response(status, body, Map.of());
        }

        /** Raw bytes (e.g. a zip); carried as ISO-8859-1 so every byte survives. */
        public static Response bytes(byte[] body) {
            return new Response(200, new String(body, StandardCharsets.ISO_8859_1), Map.of(BINARY, "1"));
        }

        boolean binary() {
            return headers.containsKey(BINARY);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeArmServer(Function<Request, Response> responder) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery(), body,
                    Map.copyOf(ex.getRequestHeaders()));
            requests.add(r);
            Response resp = responder.apply(r);
            resp.headers().forEach((k, v) -> {
                if (!k.equals(Response.BINARY)) {
                    ex.getResponseHeaders().add(k, v.replace("{base}", base()));
                }
            });
            ex.getResponseHeaders().add("Content-Type", resp.binary() ? "application/zip" : "application/json");
            byte[] out = resp.binary() ? resp.body().getBytes(StandardCharsets.ISO_8859_1)
                    : resp.body().replace("{base}", base()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(resp.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
            ex.close();
        });
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
