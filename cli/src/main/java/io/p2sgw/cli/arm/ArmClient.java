package io.p2sgw.cli.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A small ARM client: bearer token, {@code api-version}, long-running operations and paging the way
 * ARM clients expect them (azure-p2s.md §1.1; learn.microsoft.com "Track asynchronous Azure operations").
 */
public final class ArmClient {
    /** The API version the spec was read at (azure-p2s.md §1.1). */
    public static final String API_VERSION = "2024-05-01";
    /** Upper bound on waiting for one long-running operation; ours finish in seconds. */
    public static final Duration MAX_OPERATION_WAIT = Duration.ofMinutes(10);
    /** Poll interval when the server sends no {@code Retry-After}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Retry-After values above this are clamped; a misbehaving server must not stall the CLI. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(30);
    /** Bound on nextLink pages followed by a list; protects against a server that loops. */
    static final int MAX_PAGES = 1000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /**
     * p2sgw's own advisory header (beyond ARM; the body keeps its ARM shape), e.g. on generatevpnclientpackage for a
     * gateway this server does not serve. Printed on stderr like az's warnings, so scripted output stays clean.
     */
    public static final String WARNING_HEADER = "x-p2sgw-warning";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClientSettings settings;
    private final HttpClient http;
    private final PrintWriter progress;
    private final Duration pollInterval;
    private final Duration maxPollInterval;

    public ArmClient(ClientSettings settings, PrintWriter progress) {
        this(settings, progress, DEFAULT_POLL_INTERVAL);
    }

    public ArmClient(ClientSettings settings, PrintWriter progress, Duration pollInterval) {
        this(settings, progress, pollInterval, MAX_POLL_INTERVAL);
    }

    /** With a smaller clamp for Retry-After, so tests of the clamp do not wait 30 seconds. */
    ArmClient(ClientSettings settings, PrintWriter progress, Duration pollInterval, Duration maxPollInterval) {
        this.settings = settings;
        this.progress = progress;
        this.pollInterval = pollInterval;
        this.maxPollInterval = maxPollInterval;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER);
        settings.caFile().ifPresent(ca -> b.sslContext(TrustedCa.sslContext(ca)));
        this.http = b.build();
    }

    public ArmPaths paths() {
        return new ArmPaths(settings.subscription());
    }

    public ClientSettings settings() {
        return settings;
    }

    public JsonNode get(String path) {
        return send("GET", path, Optional.empty(), Optional.empty()).json();
    }

    /** GET that maps 404 to empty, for "create unless it exists" logic. */
    public Optional<JsonNode> find(String path) {
        try {
            return Optional.of(get(path));
        } catch (ArmException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** GET of a collection, following {@code nextLink} (ARM paging); returns all {@code value} items. */
    public List<JsonNode> list(String path) {
        List<JsonNode> all = new ArrayList<>();
        JsonNode page = get(path);
        if (page.isArray()) {
            page.forEach(all::add);
            return all;
        }
        for (int pages = 1; ; pages++) {
            page.path("value").forEach(all::add);
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return all;
            }
            if (pages >= MAX_PAGES) {
                throw new ArmException(0, "TooManyPages", "more than " + MAX_PAGES + " pages in " + path);
            }
            page = sendAbsolute("GET", URI.create(next), Optional.empty(), Optional.empty(), true).json();
        }
    }

    /** PUT (create or replace); waits for the operation unless {@code noWait}; returns the resource. */
    public JsonNode put(String path, JsonNode body, Optional<String> ifMatch, boolean noWait) {
        Reply r = send("PUT", path, Optional.of(body), ifMatch);
        if (noWait || !r.isLongRunning()) {
            return r.json();
        }
        awaitOperation(r);
        // ARM's final-state-via azure-async-operation for PUT: the resource itself is the result.
        return get(path);
    }

    public JsonNode put(String path, JsonNode body, boolean noWait) {
        return put(path, body, Optional.empty(), noWait);
    }

    /** DELETE; waits for the operation unless {@code noWait}. A missing resource is not an error (ARM 204). */
    public void delete(String path, boolean noWait) {
        Reply r = send("DELETE", path, Optional.empty(), Optional.empty());
        if (!noWait) {
            awaitOperation(r);
        }
    }

    /** POST an action (e.g. {@code generatevpnclientpackage}); returns its final result, possibly empty JSON. */
    public JsonNode post(String path, JsonNode body, boolean noWait) {
        Reply r = send("POST", path, Optional.of(body), Optional.empty());
        if (noWait || (r.status() != 201 && r.status() != 202)) {
            return r.json();
        }
        return awaitOperation(r);
    }

    /** GET on an absolute URL without the token (package downloads are pre-signed, like Azure SAS URLs). */
    public byte[] download(URI url) {
        try {
            HttpRequest req = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw errorOf(resp.statusCode(), resp.body());
            }
            return resp.body();
        } catch (IOException e) {
            // Not the URL's path: it is the package's secret, like a SAS token.
            throw ConnectionProblems.of(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", "interrupted");
        }
    }

    /**
     * Follows an LRO to its end. {@code Azure-AsyncOperation} is polled for {@code status}; on success the
     * result comes from {@code Location} if there is one (POST actions), else from the operation body.
     * A bare {@code Location} (202) is polled until it stops answering 202.
     */
    private JsonNode awaitOperation(Reply first) {
        Optional<String> async = first.header("Azure-AsyncOperation");
        Optional<String> location = first.header("Location");
        if (first.status() != 201 && first.status() != 202 && async.isEmpty()) {
            return first.json();
        }
        Instant deadline = Instant.now().plus(MAX_OPERATION_WAIT);
        Duration wait = first.retryAfter().orElse(pollInterval);
        // As az: say at once that the operation runs, before the first wait (Retry-After may be seconds).
        progress.println("Running ...");
        progress.flush();
        if (async.isPresent()) {
            URI op = resolve(async.get());
            while (true) {
                sleep(wait, deadline);
                Reply poll = sendAbsolute("GET", op, Optional.empty(), Optional.empty(), true);
                String status = poll.json().path("status").asText("InProgress");
                switch (status.toLowerCase(Locale.ROOT)) {
                    case "succeeded" -> {
                        progress.println("Operation " + status);
                        progress.flush();
                        if (location.isPresent()) {
                            return sendAbsolute("GET", resolve(location.get()), Optional.empty(), Optional.empty(), true).json();
                        }
                        return poll.json().has("properties") ? poll.json().get("properties") : MissingNode.getInstance();
                    }
                    case "failed", "canceled" -> {
                        JsonNode err = poll.json().path("error");
                        throw new ArmException(poll.status(), err.path("code").asText(status),
                                err.path("message").asText("operation " + status));
                    }
                    default -> {
                        progress.println("Running (" + status + ") ...");
                        progress.flush();
                        wait = poll.retryAfter().orElse(pollInterval);
                    }
                }
            }
        }
        if (location.isPresent()) {
            URI loc = resolve(location.get());
            while (true) {
                sleep(wait, deadline);
                Reply poll = sendAbsolute("GET", loc, Optional.empty(), Optional.empty(), true);
                if (poll.status() != 202) {
                    progress.println("Operation Succeeded");
                    progress.flush();
                    return poll.json();
                }
                progress.println("Running ...");
                progress.flush();
                wait = poll.retryAfter().orElse(pollInterval);
            }
        }
        return first.json();
    }

    private void sleep(Duration requested, Instant deadline) {
        // Clamp first: a huge Retry-After means "poll less often", not "give up now".
        Duration d = requested.isNegative() ? Duration.ZERO
                : requested.compareTo(maxPollInterval) > 0 ? maxPollInterval : requested;
        if (Instant.now().plus(d).isAfter(deadline)) {
            throw new ArmException(0, "OperationTimedOut",
                    "the operation did not finish within " + MAX_OPERATION_WAIT.toMinutes() + " minutes");
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", "interrupted while waiting for the operation");
        }
    }

    private URI resolve(String url) {
        return settings.endpoint().resolve(url);
    }

    /** The full request URI for an ARM path: endpoint + path + {@code api-version}. */
    public URI uri(String path) {
        String base = settings.endpoint().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path + (path.contains("?") ? "&" : "?") + "api-version=" + API_VERSION);
    }

    private Reply send(String method, String path, Optional<JsonNode> body, Optional<String> ifMatch) {
        return sendAbsolute(method, uri(path), body, ifMatch, true);
    }

    private Reply sendAbsolute(String method, URI uri, Optional<JsonNode> body, Optional<String> ifMatch, boolean auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (auth) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        ifMatch.ifPresent(etag -> b.header("If-Match", etag));
        if (body.isPresent()) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body.get())));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ConnectionProblems.of(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", "interrupted");
        }
        if (resp.statusCode() >= 400) {
            throw errorOf(resp.statusCode(), resp.body());
        }
        resp.headers().allValues(WARNING_HEADER).forEach(w -> progress.println("WARNING: " + w));
        progress.flush();
        return new Reply(resp.statusCode(), parse(resp.body()), resp);
    }

    /** Maps an error answer; the CloudError shape when the body has one, else status and a short excerpt. */
    static ArmException errorOf(int status, byte[] body) {
        JsonNode json = parse(body);
        JsonNode err = json.path("error");
        if (err.isObject() && err.hasNonNull("message")) {
            return new ArmException(status, err.path("code").asText("Error"), err.path("message").asText());
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return new ArmException(status, "HttpStatus" + status, "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
    }

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Reply(int status, JsonNode json, HttpResponse<byte[]> response) {
        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        /** An LRO answer: 202, or any answer naming an operation to poll. */
        boolean isLongRunning() {
            return status == 202 || header("Azure-AsyncOperation").isPresent() || (status == 201 && header("Location").isPresent());
        }

        Optional<Duration> retryAfter() {
            try {
                return header("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
