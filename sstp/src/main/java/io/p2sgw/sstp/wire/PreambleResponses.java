package io.p2sgw.sstp.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server's one HTTP response to the preamble (sstp.md §1.2). sstpc reads the status at byte offset 9 (so
 * "HTTP/1.1 200"), requires Content-Length to be exactly 18446744073709551615 if present, and parses only a few
 * headers; the answer is the one Windows Server and SoftEther send.
 */
public final class PreambleResponses {
    /** ULONGLONG_MAX: the stream never ends as an HTTP body ([MS-SSTP] 3.2.4.1, §4.1). */
    public static final String CONTENT_LENGTH = "18446744073709551615";

    /** IMF-fixdate (RFC 9110 §5.6.7): two-digit day, GMT. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private PreambleResponses() {
    }

    /** {@code HTTP/1.1 200 OK} with Content-Length ULONGLONG_MAX, Server and Date: four lines, then SSTP. */
    public static byte[] ok(Instant now) {
        String s = "HTTP/1.1 200 OK\r\n"
                + "Content-Length: " + CONTENT_LENGTH + "\r\n"
                + "Server: Microsoft-HTTPAPI/2.0\r\n"
                + "Date: " + HTTP_DATE.format(now) + "\r\n"
                + "\r\n";
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A plain error for a request that is not SSTP; the connection closes after it (sstp.md §1.1). */
    public static byte[] error(int status) {
        String s = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Length: 0\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
