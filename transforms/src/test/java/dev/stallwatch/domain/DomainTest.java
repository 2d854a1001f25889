package dev.stallwatch.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class DomainTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final StepCatalog CATALOG = StepCatalog.defaults();

  private static long millis(String local) {
    return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  @Test
  void catalogClassifiesBySpecSection3() {
    assertEquals("ID_UPLOAD", CATALOG.classify("0", "12100", ""));
    assertEquals("VIDEO", CATALOG.classify("0", "22160", "403"));
    assertEquals("PROFILE_EDIT", CATALOG.classify("0", "22123", ""));
    assertEquals("SELECT_MARKET", CATALOG.classify("0", "22123", "403"));
    assertEquals("SELECT_MARKET", CATALOG.classify("0", "22106", "101"));
    assertEquals(StepCatalog.TERMINAL, CATALOG.classify("0", "22114", ""));
    assertEquals(StepCatalog.TERMINAL, CATALOG.classify("a", "12100", ""));
    assertEquals(StepCatalog.UNKNOWN, CATALOG.classify("0", "99999", ""));
    assertEquals(StepCatalog.UNKNOWN, CATALOG.classify("0", "", ""));
  }

  @Test
  void catalogAndConfigRejectContradictions() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            StepCatalog.of(
                List.of(StepClass.of("A", "1", "a", List.of("1")), StepClass.of("B", "2", "b", List.of("1"))),
                Set.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            StallConfig.builder()
                .rules(
                    List.of(
                        Rule.of("x", Set.of("VIDEO"), Duration.standardMinutes(5), "x"),
                        Rule.of("y", Set.of("VIDEO"), Duration.standardMinutes(6), "y")))
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Rule.of("x", Set.of("NOPE"), Duration.standardSeconds(90), "x"));
  }

  @Test
  void defaultEventNamesFollowTheGap() {
    StallConfig config = StallConfig.defaults();
    assertEquals("开户流程中断30min转化-cc（视频见证）", config.route("cc").eventName(config.rule("video")));
    assertEquals("开户流程中断8min转化-mot（非视频见证）", config.route("mot").eventName(config.rule("steps")));
    Rule longer = Rule.of("steps", config.rule("steps").classes(), Duration.standardMinutes(15), "非视频见证");
    assertEquals("开户流程中断15min转化-cc（非视频见证）", config.route("cc").eventName(longer));
  }

  @Test
  void sendWindowDropsOrDefersToTheNextOpening() {
    SendWindow defer = SendWindow.of(LocalTime.of(9, 15), LocalTime.of(16, 15), SendWindow.Policy.DEFER);
    SendWindow drop = SendWindow.of(LocalTime.of(9, 15), LocalTime.of(16, 15), SendWindow.Policy.DROP);
    long inside = millis("2024-03-20T12:00:00");
    assertEquals(inside, defer.apply(inside, SHANGHAI));
    assertEquals(millis("2024-03-20T09:15:00"), defer.apply(millis("2024-03-20T07:00:00"), SHANGHAI));
    assertEquals(millis("2024-03-21T09:15:00"), defer.apply(millis("2024-03-20T16:15:00"), SHANGHAI));
    assertEquals(SendWindow.DROPPED, drop.apply(millis("2024-03-20T16:15:00"), SHANGHAI));
    assertEquals(millis("2024-03-20T16:14:59"), drop.apply(millis("2024-03-20T16:14:59"), SHANGHAI));
    SendWindow night = SendWindow.of(LocalTime.of(22, 0), LocalTime.of(6, 0), SendWindow.Policy.DEFER);
    assertEquals(millis("2024-03-21T03:00:00"), night.apply(millis("2024-03-21T03:00:00"), SHANGHAI));
    assertEquals(millis("2024-03-21T22:00:00"), night.apply(millis("2024-03-21T12:00:00"), SHANGHAI));
  }

  @Test
  void periodsAreDaysOfTheZoneFixedSpansOrForever() {
    long justAfterMidnight = millis("2024-03-21T00:03:00");
    assertEquals("20240321", PeriodScope.day().periodOf(justAfterMidnight, SHANGHAI));
    assertEquals("20240320", PeriodScope.day().periodOf(justAfterMidnight, ZoneId.of("UTC")));
    assertEquals(millis("2024-03-22T00:00:00"), PeriodScope.day().periodEnd(justAfterMidnight, SHANGHAI));
    PeriodScope sixHours = PeriodScope.fixed(Duration.standardHours(6));
    assertEquals(
        sixHours.periodOf(justAfterMidnight, SHANGHAI),
        sixHours.periodOf(justAfterMidnight + 3_600_000L, SHANGHAI));
    assertEquals(Long.MAX_VALUE, PeriodScope.lifetime().periodEnd(justAfterMidnight, SHANGHAI));
  }

  @Test
  void specOrderPutsActivityBeforeTerminalThenFlagThenRequest() {
    Event base = Event.builder().mobile("1").requestStatus("0").eventMillis(1000).build();
    Event terminal = base.toBuilder().requestStatus("1").stepClass(StepCatalog.TERMINAL).build();
    Event a = base.toBuilder().businessFlag("22109").requestNo("R2").stepClass("VIDEO").build();
    Event b = base.toBuilder().businessFlag("22110").requestNo("R1").stepClass("RISK_ASSESSMENT").build();
    Event c = base.toBuilder().businessFlag("22110").requestNo("R2").stepClass("RISK_ASSESSMENT").build();
    List<Event> sorted = new java.util.ArrayList<>(List.of(terminal, c, b, a));
    sorted.sort(Event.SPEC_ORDER);
    assertEquals(List.of(a, b, c, terminal), sorted);
  }

  @Test
  void codersRoundTripEveryRecord() throws Exception {
    Event e =
        Event.builder()
            .mobile("13800000000")
            .userId("")
            .clientName("张三")
            .idNo("440101199001010001")
            .requestStatus("0")
            .businessFlag("22109")
            .eventMillis(millis("2024-03-20T10:23:02"))
            .stepClass("VIDEO")
            .build();
    check(Event.EventCoder.of(), e);
    Stall stall = Stall.of(e, StallConfig.defaults().rule("video"));
    check(Stall.StallCoder.of(), stall);
    StallConfig config = StallConfig.defaults();
    Alert alert =
        Alert.of(stall, config.route("cc"), config.rule("video"), CATALOG.get("VIDEO"), stall.deadlineMillis(), SHANGHAI)
            .withChannelName("同花顺");
    check(Alert.AlertCoder.of(), alert);
    check(RawRow.RawRowCoder.of(), RawRow.csv("f.csv:2", "a,b", "x,y"));
    check(BadRecord.BadRecordCoder.of(), BadRecord.of("{", "t/0/5", "invalid JSON"));
    check(Blacklist.BlacklistCoder.of(), Blacklist.of(List.of("1", " "), List.of("2")));
    check(ChannelNames.ChannelNamesCoder.of(), ChannelNames.of(java.util.Map.of("14781", "同花顺")));
    assertTrue(!alert.toJson().contains("440101199001010001"), "id_no never leaves");
    assertEquals(
        "{\"route\":\"cc\",\"event_id\":\"019-1\",\"event_name\":\"开户流程中断30min转化-cc（视频见证）\","
            + "\"mobile\":\"13800000000\",\"user_id\":\"\",\"client_name\":\"张三\",\"request_no\":\"\","
            + "\"channel_code\":\"\",\"channel_name\":\"同花顺\",\"branch_no\":\"\",\"business_flag_last\":\"22109\","
            + "\"step_code\":\"8\",\"step_name\":\"视频见证\",\"rule\":\"video\",\"gap_minutes\":30,"
            + "\"last_activity\":\"2024-03-20 10:23:02\",\"occur_date\":\"20240320\",\"occur_time\":\"10:53:02\"}",
        alert.toJson());
  }

  @Test
  void framedCodersKeepLongNonAsciiAndBoundaryFields() throws Exception {
    // Strings around the one-byte length limit (127/128 bytes), long Chinese text, an early time.
    Event e =
        Event.builder()
            .mobile("1".repeat(127))
            .userId("u".repeat(128))
            .requestNo("r".repeat(5000))
            .clientName("张".repeat(200))
            .branchNo("a张b")
            .requestStatus("0")
            .businessFlag("22109")
            .eventMillis(-62_135_596_800_000L)
            .stepClass("VIDEO")
            .build();
    check(Event.EventCoder.of(), e);
    // Records written back to back in one stream each read their own frame.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Stall stall = Stall.of(e, StallConfig.defaults().rule("video"));
    Stall.StallCoder.of().encode(stall, out);
    Event.EventCoder.of().encode(e, out);
    java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(out.toByteArray());
    assertEquals(stall, Stall.StallCoder.of().decode(in));
    assertEquals(e, Event.EventCoder.of().decode(in));
    assertEquals(-1, in.read());
  }

  @Test
  void aDecodedEventIsWrittenAgainAsItCameAndReadsItsFieldsWhenAsked() throws Exception {
    Event e =
        Event.builder()
            .mobile("13800000000")
            .userId("u1")
            .requestNo("r9")
            .clientName("张三")
            .idNo("440101199001010001")
            .branchNo("b张")
            .channelCode("14781")
            .fundAccount("f")
            .recommender("推荐人")
            .birthday("19900101")
            .requestStatus("0")
            .businessFlag("22109")
            .eventMillis(millis("2024-03-20T10:23:02"))
            .stepClass("VIDEO")
            .build();
    byte[] first = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(Event.EventCoder.of(), e);
    Event decoded = org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(Event.EventCoder.of(), first);
    // written again before any of its encoded fields was read: the same bytes
    assertTrue(java.util.Arrays.equals(first, org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(Event.EventCoder.of(), decoded)));
    // and inside a stall, whose frame goes on after the event
    Stall stall = Stall.of(decoded, StallConfig.defaults().rule("video"));
    Stall again =
        org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(
            Stall.StallCoder.of(), org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(Stall.StallCoder.of(), stall));
    assertEquals(stall, again);
    assertEquals(e, again.event());
    assertEquals(List.of("13800000000", "u1", "张三", "440101199001010001", "b张", "14781", "f", "推荐人", "19900101"),
        List.of(decoded.mobile(), decoded.userId(), decoded.clientName(), decoded.idNo(), decoded.branchNo(),
            decoded.channelCode(), decoded.fundAccount(), decoded.recommender(), decoded.birthday()));
    assertEquals(e.hashCode(), decoded.hashCode());
    assertEquals(e.toBuilder().build(), decoded.toBuilder().build());
  }

  private static <T> void check(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderDeterministic(coder, value, value);
  }
  /** The builders hold the same bounds as the config file, so a config built in code cannot pass them. */
  @Test
  void buildersRefuseDurationsBeyondTheirBounds() {
    Rule.of("x", Set.of("VIDEO"), Duration.standardDays(7), "x");
    IllegalArgumentException gap =
        assertThrows(
            IllegalArgumentException.class,
            () -> Rule.of("x", Set.of("VIDEO"), Duration.standardDays(7).plus(Duration.standardMinutes(1)), "x"));
    assertEquals("rule x needs a gap of at most 10080 minutes (7 days), not 10081", gap.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Rule.of("x", Set.of("VIDEO"), Duration.standardMinutes(200_000_000_000L), "x"));

    PeriodScope.fixed(Duration.standardDays(366));
    PeriodScope.fixed(Duration.millis(1));
    IllegalArgumentException period =
        assertThrows(
            IllegalArgumentException.class, () -> PeriodScope.fixed(Duration.standardDays(366).plus(1)));
    assertEquals("a fixed period must be from PT0.001S to P366D, not PT31622400.001S", period.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PeriodScope.fixed(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> PeriodScope.fixed(Duration.millis(Long.MAX_VALUE)));
    assertTrue(PeriodScope.fixed(Duration.standardHours(6)).isFixed());
    assertTrue(!PeriodScope.day().isFixed() && !PeriodScope.lifetime().isFixed());

    StallConfig.builder().allowedLateness(Duration.standardDays(7)).build();
    IllegalArgumentException lateness =
        assertThrows(
            IllegalArgumentException.class,
            () -> StallConfig.builder().allowedLateness(Duration.standardDays(7).plus(1)).build());
    assertEquals("allowedLateness must be at most P7D, not PT604800.001S", lateness.getMessage());
  }

  /** Two routes on one topic would fence each other's exactly-once writers; a topic needs a valid name. */
  @Test
  void routesNeedTopicsOfTheirOwnWithValidNames() {
    IllegalArgumentException shared =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StallConfig.builder()
                    .routes(
                        List.of(
                            Route.of("a", "1", Route.DEFAULT_EVENT_NAME, false, "t"),
                            Route.of("b", "2", Route.DEFAULT_EVENT_NAME, false, "t")))
                    .build());
    assertEquals("routes a and b share topic t; each route needs a topic of its own", shared.getMessage());
    Route.of("a", "1", Route.DEFAULT_EVENT_NAME, false, "x".repeat(249));
    for (String bad : List.of("", "a b", "x".repeat(250), "t/u", "主题")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Route.of("a", "1", Route.DEFAULT_EVENT_NAME, false, bad));
      assertTrue(e.getMessage().startsWith("route a: topic: expected a topic name"), e.getMessage());
    }
  }
}
