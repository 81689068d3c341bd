package io.p2sgw.api.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.ArmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ARM list paging (issue 17): pages of at most the page size, a token for the next, none after the last. */
class ListPagesTest {
    private static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

    @Test
    void followingTheTokensVisitsEveryItemOnceInOrderAndTheLastPageHasNoToken() {
        List<Integer> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            ListPages.Page<Integer> page = ListPages.page(FIVE, token, 2);
            assertTrue(page.items().size() <= 2);
            seen.addAll(page.items());
            token = page.nextSkipToken();
            pages++;
        } while (token.isPresent());
        assertEquals(FIVE, seen);
        assertEquals(3, pages);
    }

    @Test
    void aListThatFitsOnePageHasNoNextToken() {
        assertEquals(new ListPages.Page<>(FIVE, Optional.empty()), ListPages.page(FIVE, Optional.empty(), 5));
        assertEquals(new ListPages.Page<>(List.of(), Optional.empty()), ListPages.page(List.of(), Optional.empty(), 5));
    }

    @Test
    void aTokenPastTheEndAfterDeletionsGivesAnEmptyLastPage() {
        String token = ListPages.page(FIVE, Optional.empty(), 4).nextSkipToken().orElseThrow();
        assertEquals(new ListPages.Page<>(List.of(), Optional.empty()), ListPages.page(List.of(1, 2), Optional.of(token), 4));
    }

    private static String encoded(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage!", "12", "%%%", "cDJzZ3ctc2tpcDotMQ", "cDJzZ3ctc2tpcDp4",
            "cDJzZ3ctc2tpcDo5OTk5OTk5OTk5OTk", "b3RoZXI6Mg",
            "cDJzZ3ctc2tpcDoyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void aTokenThisServerDidNotIssueIsRefusedWithArmsBadRequest(String token) {
        ArmException e = assertThrows(ArmException.class, () -> ListPages.page(FIVE, Optional.of(token), 2));
        assertEquals(400, e.status());
        assertEquals("InvalidSkipToken", e.code());
        assertTrue(e.getMessage().contains("nextLink"), e.getMessage());
    }

    @Test
    void theRefusedTokensAboveAreWhatTheyClaimToBe() {
        assertEquals("cDJzZ3ctc2tpcDotMQ", encoded("p2sgw-skip:-1"));
        assertEquals("cDJzZ3ctc2tpcDp4", encoded("p2sgw-skip:x"));
        assertEquals("cDJzZ3ctc2tpcDo5OTk5OTk5OTk5OTk", encoded("p2sgw-skip:999999999999"));
        assertEquals("b3RoZXI6Mg", encoded("other:2"));
        assertEquals(ListPages.token(2), encoded("p2sgw-skip:2"));
    }
}
