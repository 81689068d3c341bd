package io.p2sgw.apitests;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.BinaryData;
import com.azure.resourcemanager.network.NetworkManager;
import io.p2sgw.cli.arm.TrustedCa;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK for Java pointed at a p2sgw server: the resource manager endpoint is the server's base URI, the
 * "AAD token" is a p2sgw bearer token, and TLS trusts exactly the p2sgw CA. Every exchange is recorded so a
 * failing step can show precisely what the SDK sent and what the server answered.
 */
final class AzureSdk {
    /** Request and answer bodies in failure messages are cut here; ARM bodies are small. */
    static final int MAX_BODY_CHARS = 2000;

    record Exchange(String method, String url, String requestBody, int status, String responseBody) {
        @Override
        public String toString() {
            return method + " " + url + (requestBody.isEmpty() ? "" : "\n    body: " + requestBody)
                    + "\n    -> " + status + " " + responseBody;
        }
    }

    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final NetworkManager manager;
    private final java.net.http.HttpClient plainJdkClient;

    AzureSdk(RunningServer server, String token) {
        String base = server.baseUri().toString();
        javax.net.ssl.SSLContext tls = TrustedCa.sslContext(server.caFile());
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls)).build();
        this.plainJdkClient = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
        AzureEnvironment env = new AzureEnvironment(Map.of(
                "resourceManagerEndpointUrl", base,
                "managementEndpointUrl", base,
                "activeDirectoryEndpointUrl", base));
        // The SDK asks for an AAD token for <endpoint>/.default; p2sgw's bearer token stands in for it.
        TokenCredential credential = request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
        this.manager = NetworkManager.configure()
                .withHttpClient(http)
                .withPolicy(recorder())
                .authenticate(credential, new AzureProfile("00000000-0000-0000-0000-000000000000", Seed.SUBSCRIPTION, env));
    }

    NetworkManager manager() {
        return manager;
    }

    java.net.http.HttpClient plainJdkClient() {
        return plainJdkClient;
    }

    List<Exchange> exchanges() {
        return exchanges;
    }

    /** Runs one step; on failure the assertion names the step and shows the exchanges it made. */
    <T> T step(String name, java.util.concurrent.Callable<T> body) {
        int from = exchanges.size();
        try {
            return body.call();
        } catch (Throwable e) {
            List<Exchange> made = new ArrayList<>(exchanges.subList(from, exchanges.size()));
            StringBuilder sb = new StringBuilder("SDK step '" + name + "' failed: " + e + "\nexchanges:\n");
            made.forEach(x -> sb.append("  ").append(x).append('\n'));
            throw new AssertionError(sb.toString(), e);
        }
    }

    void run(String name, Runnable body) {
        step(name, () -> {
            body.run();
            return null;
        });
    }

    private HttpPipelinePolicy recorder() {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(com.azure.core.http.HttpPipelineCallContext context,
                                              com.azure.core.http.HttpPipelineNextPolicy next) {
                com.azure.core.http.HttpRequest req = context.getHttpRequest();
                BinaryData reqBody = req.getBodyAsBinaryData();
                String sent = reqBody == null ? "" : cut(reqBody.toString());
                return next.process().map(HttpResponse::buffer).flatMap(resp -> resp.getBodyAsString()
                        .defaultIfEmpty("")
                        .map(text -> {
                            exchanges.add(new Exchange(req.getHttpMethod().name(), req.getUrl().toString(), sent,
                                    resp.getStatusCode(), cut(text)));
                            return resp;
                        }));
            }

            @Override
            public HttpPipelinePosition getPipelinePosition() {
                // After retries: every attempt is recorded.
                return HttpPipelinePosition.PER_RETRY;
            }
        };
    }

    private static String cut(String s) {
        return s.length() > MAX_BODY_CHARS ? s.substring(0, MAX_BODY_CHARS) + "..." : s;
    }
}
