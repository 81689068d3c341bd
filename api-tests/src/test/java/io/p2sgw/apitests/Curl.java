package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code curl} binary against the server, trusting only the server's CA ({@code --cacert}). */
final class Curl {
    /** Per-request bound; our server answers in milliseconds. */
    static final int MAX_TIME_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() {
            try {
                return body.length == 0 ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        Reply expect(int code) {
            assertEquals(code, status, () -> "HTTP " + status + ": " + text());
            return this;
        }
    }

    private final Path caFile;
    private final Path work;
    private Optional<String> token;

    Curl(Path caFile, Path work, String token) {
        this.caFile = caFile;
        this.work = work;
        this.token = Optional.of(token);
    }

    Curl withoutToken() {
        Curl c = new Curl(caFile, work, "x");
        c.token = Optional.empty();
        return c;
    }

    Curl withToken(String t) {
        return new Curl(caFile, work, t);
    }

    Reply get(String url) {
        return send("GET", url, Optional.empty(), List.of());
    }

    Reply send(String method, String url, Optional<String> body, List<String> extraHeaders) {
        try {
            Path headers = Files.createTempFile(work, "h", ".txt");
            Path out = Files.createTempFile(work, "b", ".bin");
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", String.valueOf(MAX_TIME_SECONDS),
                    "--cacert", caFile.toString(), "-X", method, "-D", headers.toString(), "-o", out.toString(),
                    "-w", "%{http_code}"));
            token.ifPresent(t -> cmd.addAll(List.of("-H", "Authorization: Bearer " + t)));
            for (String h : extraHeaders) {
                cmd.addAll(List.of("-H", h));
            }
            if (body.isPresent()) {
                Path in = Files.createTempFile(work, "req", ".json");
                Files.writeString(in, body.get());
                cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@" + in));
            }
            cmd.add(url);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            String code;
            try {
                if (!p.waitFor(MAX_TIME_SECONDS + 5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("curl did not finish: " + method + " " + url);
                }
                code = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.exitValue(), () -> "curl failed: " + err);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            return new Reply(Integer.parseInt(code), parseHeaders(Files.readString(headers, StandardCharsets.ISO_8859_1)),
                    Files.readAllBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Headers of the last response block (curl -D writes one block per response). */
    private static Map<String, String> parseHeaders(String dump) {
        Map<String, String> h = new TreeMap<>();
        for (String line : dump.split("\r?\n")) {
            if (line.startsWith("HTTP/")) {
                h.clear();
            } else if (line.contains(":")) {
                int i = line.indexOf(':');
                h.put(line.substring(0, i).strip().toLowerCase(Locale.ROOT), line.substring(i + 1).strip());
            }
        }
        return h;
    }

    /** Polls an Azure-AsyncOperation URL until it is no longer InProgress; returns the final status. */
    String awaitOperation(String operationUrl) {
        for (int i = 0; i < 600; i++) {
            JsonNode op = get(operationUrl).expect(200).json();
            String status = op.path("status").asText();
            if (!status.equals("InProgress")) {
                return status;
            }
            sleep();
        }
        throw new AssertionError("operation still InProgress after 600 polls: " + operationUrl);
    }

    /** Polls a Location URL until it stops answering 202; returns that answer. */
    Reply awaitLocation(String locationUrl) {
        for (int i = 0; i < 600; i++) {
            Reply r = get(locationUrl);
            if (r.status() != 202) {
                return r;
            }
            sleep();
        }
        throw new AssertionError("location still 202 after 600 polls: " + locationUrl);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void assertHasAsyncHeaders(Reply r) {
        assertTrue(r.header("Azure-AsyncOperation").isPresent() || r.header("Location").isPresent(),
                () -> "no Azure-AsyncOperation/Location on " + r.status() + ": " + r.headers());
    }
}
