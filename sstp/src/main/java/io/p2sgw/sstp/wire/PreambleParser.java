package io.p2sgw.sstp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the one HTTP request an SSTP client sends after the TLS handshake ([MS-SSTP] 3.2.4.1, sstp.md §1.1):
 * {@code SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1}, headers, a blank line, and no
 * body — the huge Content-Length only says the connection is a raw SSTP stream from now on. Anything else is answered
 * with a plain HTTP error ({@link PreambleResponses#error}) and the connection closes.
 *
 * <p>Fed bytes as they arrive; keeps at most {@link #MAX_PREAMBLE} bytes. Bytes after the blank line belong to the
 * SSTP stream and are left to the caller ({@link Outcome.Accepted#consumed}). This is not a general HTTP parser on
 * purpose (sstp.md §7 pitfall 8). Confined to the connection's thread.
 */
public final class PreambleParser {
    /** The only method SSTP uses ([MS-SSTP] 3.2.4.1). */
    public static final String METHOD = "SSTP_DUPLEX_POST";
    /** The SSTP resource ([MS-SSTP] 3.2.4.1); compared without case, query string ignored (sstp.md §1.1). */
    public static final String PATH = "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/";
    public static final String VERSION = "HTTP/1.1";
    /** Request line + headers + blank line: the real clients send about 200 bytes (sstp.md §1.1 suggests 4 KiB). */
    public static final int MAX_PREAMBLE = 4096;
    /** One line, CRLF included. */
    public static final int MAX_LINE = 1024;
    /** Header lines; sstpc sends 3, Windows 4. */
    public static final int MAX_HEADERS = 32;
    static final String CORRELATION_HEADER = "sstpcorrelationid";

    /** The parser's verdict after a {@link #feed}. */
    public sealed interface Outcome {
        /** The preamble is not complete yet; every byte given was kept. */
        record NeedMore() implements Outcome {
        }

        /**
         * The preamble was valid: answer {@link PreambleResponses#ok}. {@code consumed} bytes of the last feed were
         * preamble; the rest of that feed is SSTP.
         */
        record Accepted(SstpRequest request, int consumed) implements Outcome {
        }

        /** Not an SSTP request: answer {@link PreambleResponses#error} with this status and close. */
        record Rejected(int httpStatus, String reason) implements Outcome {
        }
    }

    private static final Outcome NEED_MORE = new Outcome.NeedMore();

    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private int total;
    private int headers;
    private boolean requestLineSeen;
    private String host = "";
    private String correlationId = "";
    private Outcome finished;

    /** Consumes {@code buf[off, off+len)} up to the end of the preamble. Once finished, returns the same outcome. */
    public Outcome feed(byte[] buf, int off, int len) {
        if (finished != null) {
            return finished instanceof Outcome.Accepted a ? new Outcome.Accepted(a.request(), 0) : finished;
        }
        for (int i = 0; i < len; i++) {
            byte b = buf[off + i];
            if (++total > MAX_PREAMBLE) {
                return reject(431, "preamble longer than " + MAX_PREAMBLE + " bytes");
            }
            if (lineLength == MAX_LINE) {
                return reject(431, "line longer than " + MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
            if (b != '\n') {
                continue;
            }
            if (lineLength < 2 || line[lineLength - 2] != '\r') {
                return reject(400, "line not ended by CRLF");
            }
            String text = new String(line, 0, lineLength - 2, StandardCharsets.ISO_8859_1);
            lineLength = 0;
            Outcome o = requestLineSeen ? header(text) : requestLine(text);
            if (o != null) {
                if (o instanceof Outcome.Accepted a) {
                    finished = a;
                    return new Outcome.Accepted(a.request(), i + 1);
                }
                return o;
            }
        }
        return NEED_MORE;
    }

    private Outcome requestLine(String text) {
        requestLineSeen = true;
        String[] parts = text.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return reject(400, "malformed request line");
        }
        if (!parts[0].equals(METHOD)) {
            return reject(405, "method " + printable(parts[0]));
        }
        if (!parts[2].equals(VERSION)) {
            return reject(505, "version " + printable(parts[2]));
        }
        String path = parts[1];
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (!path.equalsIgnoreCase(PATH)) {
            return reject(404, "path " + printable(path));
        }
        return null;
    }

    private Outcome header(String text) {
        if (text.isEmpty()) {
            return new Outcome.Accepted(new SstpRequest(host, correlationId), 0);
        }
        if (++headers > MAX_HEADERS) {
            return reject(431, "more than " + MAX_HEADERS + " headers");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || text.charAt(0) == ' ' || text.charAt(0) == '\t') {
            // No obsolete line folding (RFC 9112 §5.2): neither client folds, and it would only widen the parser.
            return reject(400, "malformed header line");
        }
        String name = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).strip();
        switch (name) {
            case "host" -> host = printable(value);
            case CORRELATION_HEADER -> correlationId = printable(stripBraces(value));
            default -> {
                // Content-Length (ULONGLONG_MAX), Cookie (Windows) and others: nothing to act on (sstp.md §1.1).
            }
        }
        return null;
    }

    private Outcome reject(int status, String reason) {
        finished = new Outcome.Rejected(status, reason);
        return finished;
    }

    private static String stripBraces(String v) {
        return v.length() >= 2 && v.charAt(0) == '{' && v.charAt(v.length() - 1) == '}'
                ? v.substring(1, v.length() - 1) : v;
    }

    /** Client-chosen text goes to logs: keep it short and free of control characters. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && out.length() < 100; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
