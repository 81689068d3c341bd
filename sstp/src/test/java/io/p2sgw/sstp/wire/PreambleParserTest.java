package io.p2sgw.sstp.wire;

import io.p2sgw.testkit.bytes.Hex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PreambleParserTest {
    /** Exactly what sstpc's src/sstp-http.c builds (sstp.md §1.1), with a bare-UUID correlation id. */
    static final String SSTPC = "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
            + "Host: 198.51.100.1:443\r\n"
            + "Content-Length: 18446744073709551615\r\n"
            + "SSTPCORRELATIONID: 0c38434f-aa00-4c52-b666-ad665d1844b2\r\n"
            + "\r\n";
    /** The Windows form ([MS-SSTP] §4.1): braces around the GUID, header names in another case, a Cookie. */
    static final String WINDOWS = "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458B-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
            + "SSTPCORRELATIONID: {62F1B5C4-5A4B-4D3C-9F1E-0123456789AB}\r\n"
            + "Content-Length: 18446744073709551615\r\n"
            + "host: vpn.example.test\r\n"
            + "Cookie: ClientHTTPCookie=x\r\n"
            + "\r\n";

    @Test
    void acceptsWhatSstpcSendsAndLeavesTheSstpBytes() {
        byte[] connectRequest = Hex.bytes("10 01 00 0E 00 01 00 01 00 01 00 06 00 01");
        byte[] in = concat(SSTPC.getBytes(StandardCharsets.US_ASCII), connectRequest);
        var o = assertInstanceOf(PreambleParser.Outcome.Accepted.class, new PreambleParser().feed(in, 0, in.length));
        assertEquals(new SstpRequest("198.51.100.1:443", "0c38434f-aa00-4c52-b666-ad665d1844b2"), o.request());
        assertEquals(SSTPC.length(), o.consumed());
    }

    @Test
    void acceptsTheWindowsFormOneByteAtATime() {
        byte[] in = WINDOWS.getBytes(StandardCharsets.US_ASCII);
        PreambleParser p = new PreambleParser();
        for (int i = 0; i < in.length - 1; i++) {
            assertInstanceOf(PreambleParser.Outcome.NeedMore.class, p.feed(in, i, 1));
        }
        var o = assertInstanceOf(PreambleParser.Outcome.Accepted.class, p.feed(in, in.length - 1, 1));
        assertEquals(new SstpRequest("vpn.example.test", "62F1B5C4-5A4B-4D3C-9F1E-0123456789AB"), o.request());
        assertEquals(1, o.consumed());
    }

    @Test
    void ignoresAQueryString() {
        String s = SSTPC.replace("C84EE0ADCD75}/ ", "C84EE0ADCD75}/?tenantid=abc ");
        assertInstanceOf(PreambleParser.Outcome.Accepted.class, feed(s));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1|405",
        "POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1|405",
        "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.0|505",
        "SSTP_DUPLEX_POST /sra_{00000000-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1|404",
        "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75} HTTP/1.1|404",
        "SSTP_DUPLEX_POST  /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1|400",
        "SSTP_DUPLEX_POST|400",
    })
    void refusesOtherRequestLines(String requestLine, int status) {
        var o = assertInstanceOf(PreambleParser.Outcome.Rejected.class, feed(requestLine + "\r\nHost: x\r\n\r\n"));
        assertEquals(status, o.httpStatus());
    }

    @Test
    void refusesABareLineFeed() {
        var o = assertInstanceOf(PreambleParser.Outcome.Rejected.class, feed(SSTPC.replace("Host: 198.51.100.1:443\r\n",
                "Host: x\n")));
        assertEquals(400, o.httpStatus());
    }

    @Test
    void refusesAHeaderWithoutColonOrFolded() {
        assertEquals(400, rejected(SSTPC.replace("Host: 198.51.100.1:443", "Host 198.51.100.1")).httpStatus());
        assertEquals(400, rejected(SSTPC.replace("Host: 198.51.100.1:443", " folded")).httpStatus());
    }

    @Test
    void limitsTheLineLength() {
        String head = SSTPC.substring(0, SSTPC.indexOf("Host"));
        // A header line of exactly MAX_LINE bytes, CRLF included, is fine; one more byte is not.
        String fits = "X: " + "a".repeat(PreambleParser.MAX_LINE - 5) + "\r\n";
        assertEquals(PreambleParser.MAX_LINE, fits.length());
        assertInstanceOf(PreambleParser.Outcome.Accepted.class, feed(head + fits + "\r\n"));
        String tooLong = "X: " + "a".repeat(PreambleParser.MAX_LINE - 4) + "\r\n";
        assertEquals(431, rejected(head + tooLong + "\r\n").httpStatus());
    }

    @Test
    void limitsTheHeaderCount() {
        String head = SSTPC.substring(0, SSTPC.indexOf("Host"));
        assertInstanceOf(PreambleParser.Outcome.Accepted.class,
                feed(head + "X: y\r\n".repeat(PreambleParser.MAX_HEADERS) + "\r\n"));
        assertEquals(431, rejected(head + "X: y\r\n".repeat(PreambleParser.MAX_HEADERS + 1) + "\r\n").httpStatus());
    }

    @Test
    void limitsThePreambleSize() {
        String head = SSTPC.substring(0, SSTPC.indexOf("Host"));
        StringBuilder s = new StringBuilder(head);
        while (s.length() < PreambleParser.MAX_PREAMBLE) {
            s.append("X: ").append("b".repeat(300)).append("\r\n");
        }
        assertEquals(431, rejected(s + "\r\n").httpStatus());
    }

    @Test
    void staysFinished() {
        PreambleParser p = new PreambleParser();
        byte[] in = SSTPC.getBytes(StandardCharsets.US_ASCII);
        p.feed(in, 0, in.length);
        var again = assertInstanceOf(PreambleParser.Outcome.Accepted.class, p.feed(new byte[] {1, 2}, 0, 2));
        assertEquals(0, again.consumed());
    }

    @Test
    void okResponseIsWhatSstpcParses() {
        String r = new String(PreambleResponses.ok(Instant.parse("2026-12-04T05:06:07Z")), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200 OK\r\n"
                + "Content-Length: 18446744073709551615\r\n"
                + "Server: Microsoft-HTTPAPI/2.0\r\n"
                + "Date: Fri, 04 Dec 2026 05:06:07 GMT\r\n"
                + "\r\n", r);
        // sstpc: strtoul at offset 9 must read 200.
        assertEquals("200", r.substring(9, 12));
    }

    @Test
    void errorResponse() {
        String r = new String(PreambleResponses.error(404), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", r);
        assertTrue(new String(PreambleResponses.error(418), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 418 Error"));
    }

    static PreambleParser.Outcome feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new PreambleParser().feed(b, 0, b.length);
    }

    static PreambleParser.Outcome.Rejected rejected(String s) {
        return assertInstanceOf(PreambleParser.Outcome.Rejected.class, feed(s));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
