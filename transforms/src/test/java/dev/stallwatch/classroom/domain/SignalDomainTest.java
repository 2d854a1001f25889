package dev.stallwatch.classroom.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class SignalDomainTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static long at(String local) {
    return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  @Test
  void theDefaultRulesAreTheContractsTableAndRoundTripAsText() {
    SignalRules d = SignalRules.defaults();
    assertEquals(7, d.rules().size());
    assertEquals("MATCH_CORRECT", d.eventOf("match", "template", "match", "drop:correct"));
    assertNull(d.eventOf("", "template", "match", "drop:correct"));
    assertEquals(d, SignalRules.parse(d.toText()));
    SignalRules custom =
        SignalRules.parse("# a comment\n\n  RAISE_HAND |  | hand | up |  \r\nANY | | | |\n");
    assertEquals(
        List.of(new SignalRule("RAISE_HAND", "", "hand", "up", ""), new SignalRule("ANY", "", "", "", "")), custom.rules());
    assertEquals("RAISE_HAND", custom.eventOf("x", "hand", "up", "y"));
    assertEquals("ANY", custom.eventOf("", "", "", ""));
  }

  @Test
  void badRuleTextIsRefusedWithItsLine() {
    assertEquals(
        "signal rules line 2: needs 5 cells (event | target_id | target_type | action | sub_action), not 4",
        assertThrows(IllegalArgumentException.class, () -> SignalRules.parse("A|||x|\nB|||\n")).getMessage());
    assertEquals(
        "signal rules line 1: a signal rule needs an event name",
        assertThrows(IllegalArgumentException.class, () -> SignalRules.parse(" | | shape | move |")).getMessage());
    assertEquals(
        "at least one signal rule is needed",
        assertThrows(IllegalArgumentException.class, () -> SignalRules.parse("# nothing\n")).getMessage());
  }

  @Test
  void tooLateIsBeamsDropRuleForTheSignalsMinute() {
    SignalsConfig strict = SignalsConfig.defaults();
    long end = at("2024-03-20T10:01:00");
    long inWindow = at("2024-03-20T10:00:00");
    // the window's last millisecond is 10:00:59.999: droppable once the watermark is past it
    assertFalse(strict.tooLate(inWindow, end - 1));
    assertTrue(strict.tooLate(inWindow, end));
    assertFalse(strict.tooLate(end - 1, end - 1));
    assertFalse(strict.tooLate(end, end)); // the next window
    SignalsConfig lenient = strict.toBuilder().allowedLateness(Duration.standardSeconds(30)).build();
    assertFalse(lenient.tooLate(inWindow, end - 1 + 30_000));
    assertTrue(lenient.tooLate(inWindow, end + 30_000));
    assertEquals(Duration.standardSeconds(5), strict.watermarkBound());
    assertEquals("Asia/Shanghai", strict.zoneId());
    assertThrows(IllegalArgumentException.class, () -> strict.toBuilder().allowedLateness(Duration.millis(-1)).build());
    assertThrows(IllegalArgumentException.class, () -> strict.toBuilder().watermarkBound(Duration.standardDays(8)).build());
  }

  @Test
  void rowsShowLocalTimesAndKeyOnTheirStart() {
    long start = at("2024-03-20T23:59:00");
    SignalCount row =
        new SignalCount(start, start + 60_000, start + 59_999, "Asia/Shanghai", "88", "u1", "2", "SHAPE_MOVE", 3);
    assertEquals("2024-03-20 23:59:00", row.startTime());
    assertEquals("2024-03-21 00:00:00", row.endTime());
    assertEquals("2024-03-20 23:59:59", row.createTime());
    assertEquals(new SignalCount.UpsertKey("2024-03-20 23:59:00", "88", "u1", "2", "SHAPE_MOVE"), row.upsertKey());
    assertEquals(
        "{\"start_time\":\"2024-03-20 23:59:00\",\"end_time\":\"2024-03-21 00:00:00\",\"webserver_id\":\"88\","
            + "\"user_id\":\"u1\",\"role\":\"2\",\"event\":\"SHAPE_MOVE\",\"event_count\":3,"
            + "\"create_time\":\"2024-03-20 23:59:59\"}",
        row.toJson());
    assertEquals("2024-03-20 10:00:00.007", SignalsConfig.shownTime(at("2024-03-20T10:00:00") + 7, SHANGHAI));
  }

  @Test
  void codersRoundTrip() throws Exception {
    Signal s = new Signal(null, "o", "", -5, "u", "r", "2", "305", "116", "", "shape", "move", "", "", "SHAPE_MOVE");
    Signal keyed = new Signal("k", "o@1", "c", 1710900000123L, "用户", "r", "2", "305", "116", "t", "shape", "move", "x", "9", "E");
    for (Signal x : List.of(s, keyed)) {
      assertEquals(x, CoderUtils.decodeFromByteArray(Signal.SignalCoder.of(), CoderUtils.encodeToByteArray(Signal.SignalCoder.of(), x)));
    }
    SignalCount c = new SignalCount(0, 60_000, 59_999, "UTC", "r", "u", "2", "E", Long.MAX_VALUE);
    assertEquals(
        c,
        CoderUtils.decodeFromByteArray(
            SignalCount.SignalCountCoder.of(), CoderUtils.encodeToByteArray(SignalCount.SignalCountCoder.of(), c)));
    SignalCount.Key k = SignalCount.Key.of(keyed);
    assertEquals(new SignalCount.Key("r", "用户", "2", "E"), k);
    assertEquals(
        k, CoderUtils.decodeFromByteArray(SignalCount.KeyCoder.of(), CoderUtils.encodeToByteArray(SignalCount.KeyCoder.of(), k)));
  }
}
