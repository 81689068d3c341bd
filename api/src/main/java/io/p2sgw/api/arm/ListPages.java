package io.p2sgw.api.arm;

import io.p2sgw.control.ArmException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * ARM list paging (azure-p2s.md §1.1, "pageable via nextLink"; ARM RPC "GET pagination"): a list answers at most one
 * page of {@code value}, and a {@code nextLink} whose {@code $skipToken} the client sends back unchanged for the next
 * page; the last page has no {@code nextLink}. The token is opaque to clients; here it is the position of the next
 * item, so a resource created or deleted between two pages may shift the rest by one (ARM promises no snapshot).
 */
public final class ListPages {
    /** Items per page unless configured otherwise. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** ARM's query parameter name; the lower-case spelling some services use is accepted too. */
    static final String SKIP_TOKEN = "$skipToken";
    static final String SKIP_TOKEN_LOWER = "$skiptoken";
    /** A token this server issued is far shorter; a longer one is refused before it is decoded. */
    static final int MAX_TOKEN_CHARS = 64;
    private static final String PREFIX = "p2sgw-skip:";

    private ListPages() {}

    /** One page: its items, and the token of the next page when there is one. */
    public record Page<T>(List<T> items, Optional<String> nextSkipToken) {}

    /**
     * The page of {@code all} that {@code skipToken} names (the first page when absent).
     *
     * @throws ArmException 400 {@code InvalidSkipToken} for a token this server did not issue
     */
    public static <T> Page<T> page(List<T> all, Optional<String> skipToken, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive: " + pageSize);
        }
        int from = skipToken.map(ListPages::offset).orElse(0);
        if (from >= all.size()) {
            return new Page<>(List.of(), Optional.empty());
        }
        int to = (int) Math.min((long) from + pageSize, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), to < all.size() ? Optional.of(token(to)) : Optional.empty());
    }

    static String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.US_ASCII));
    }

    static int offset(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw invalid(token);
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid(token);
        }
        if (!text.startsWith(PREFIX) || !text.substring(PREFIX.length()).matches("0|[1-9][0-9]{0,8}")) {
            throw invalid(token);
        }
        return Integer.parseInt(text.substring(PREFIX.length()));
    }

    /** ARM's error code for this is not documented (UNCONFIRMED); the body has ARM's shape and says what to do. */
    private static ArmException invalid(String token) {
        String shown = token.length() > MAX_TOKEN_CHARS ? token.substring(0, MAX_TOKEN_CHARS) + "…" : token;
        return ArmException.badRequest("InvalidSkipToken", "The " + SKIP_TOKEN + " '" + shown + "' is not valid: it is"
                + " not a token this server issued. Follow the nextLink of the previous page unchanged, or list again"
                + " without " + SKIP_TOKEN + " to start from the first page.");
    }
}
