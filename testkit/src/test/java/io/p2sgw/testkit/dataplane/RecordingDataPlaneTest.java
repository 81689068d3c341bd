package io.p2sgw.testkit.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.testkit.snapshot.SnapshotBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingDataPlaneTest {
    @Test
    void recordsAndAnswersWhatTheTestSets() {
        RecordingDataPlane dp = new RecordingDataPlane();
        assertEquals(Optional.empty(), dp.last());
        assertEquals("running", dp.status());
        GatewaySnapshot s = SnapshotBuilder.seed().build();
        dp.apply(s);
        dp.clear();
        assertEquals(0, dp.disconnect(List.of("OpenVPN_x"), "test"));
        dp.status("stopped: test");
        assertEquals(Optional.of(s), dp.last());
        assertEquals(1, dp.clears());
        assertEquals(List.of("OpenVPN_x"), dp.disconnected);
        assertEquals("stopped: test", dp.status());
        assertEquals(List.of(), dp.sessions());
    }
}
