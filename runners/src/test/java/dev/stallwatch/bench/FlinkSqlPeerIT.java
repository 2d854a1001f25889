package dev.stallwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.bench.FlinkSqlPeer.PeerAlert;
import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.parse.DimensionCsv;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL peer (the original design's jobs 1-4 and 6-8 on Flink 1.19) on a small hand-made dump,
 * against SPEC.md's answer from the reference model: where the two agree, and each difference the
 * original design is known for, applicant by applicant. Each applicant has a mobile of its own.
 */
class FlinkSqlPeerIT {
  private static final String HEADER =
      "REQUEST_NO,USER_ID,CLIENT_NAME,MOBILE_TEL,ID_NO,BIRTHDAY,BRANCH_NO,CHANNEL_CODE,"
          + "REQUEST_STATUS,BUSINESS_FLAG_LAST,LAST_UPDATE_DATETIME,FUND_ACCOUNT,RECOMMENDER";

  // one mobile per story
  private static final String AGREE = "13800000001";
  private static final String LEFT_WITH_STATUS = "13800000002";
  private static final String SAME_DAY_REPEAT = "13800000003";
  private static final String MIDNIGHT_REPEAT = "13800000004";
  private static final String NEXT_DAY_DEADLINE = "13800000005";
  private static final String TWO_DAYS = "13800000006";
  private static final String EXACT_GAP = "13800000007";
  private static final String BLACKLISTED_MOBILE = "13800000008";
  private static final String BLACKLISTED_ID = "13800000009";

  @TempDir static Path tmp;

  private static List<Alert> spec;
  private static FlinkSqlPeer.Result peer;

  private static String row(String mobile, String idNo, String status, String flag, String time) {
    String n = mobile.substring(mobile.length() - 2);
    return String.join(
        ",", "R10000" + n, "u0000" + n, "张三", mobile, idNo, "19800101", "101", "14781", status,
        flag, time, "", "");
  }

  private static String row(String mobile, String flag, String time) {
    return row(mobile, "4400000000000000" + mobile.substring(mobile.length() - 2), "0", flag, time);
  }

  @BeforeAll
  static void runBoth() throws IOException {
    List<String> rows =
        List.of(
            // both agree: a risk assessment (step 6) and nothing after it for 8 minutes; the same
            // row again in another time format counts once
            row(AGREE, "22113", "2024-03-19 10:00:00"),
            row(AGREE, "22113", "20240319100000"),
            // left the in-progress state (status 1) 3 minutes after a step: SPEC sees a terminal
            // row, the peer filtered it out in job 1 and alerts 8 minutes after the step
            row(LEFT_WITH_STATUS, "22112", "2024-03-19 11:00:00"),
            row(LEFT_WITH_STATUS, "4400000000000000" + "02", "1", "22114", "2024-03-19T11:03:00"),
            // the same step code again 7 minutes later on the same day: job 1 keeps only the
            // first, so the peer alerts 8 minutes after the first row, SPEC after the second
            row(SAME_DAY_REPEAT, "22107", "2024-03-19 10:00:00"),
            row(SAME_DAY_REPEAT, "22107", "2024-03-19 10:07:00"),
            // the same repeat across midnight, the later row first in the file: job 1's day
            // partition keeps both (the seed's 跨天 duplicate) and event time ignores the order,
            // so here the peer agrees with SPEC
            row(MIDNIGHT_REPEAT, "22107", "20240320000200"),
            row(MIDNIGHT_REPEAT, "22107", "2024-03-19 23:55:00"),
            // a video step at 23:50: the deadline, and so the occur date, is the next day
            row(NEXT_DAY_DEADLINE, "22109", "2024-03-19 23:50:00.000"),
            // a stall on each of two days: SPEC alerts each day, the peer's jobs 3/7 rank over
            // (mobile, channel) in the whole input and keep only the first
            row(TWO_DAYS, "22113", "2024-03-19 09:00:00"),
            row(TWO_DAYS, "22113", "2024-03-20 09:00:00"),
            // the next row exactly at the gap: SPEC's stall (>= gap), but Flink's session windows
            // join rows exactly a gap apart, so the peer alerts on the second row instead
            row(EXACT_GAP, "22113", "2024-03-19 14:00:00"),
            row(EXACT_GAP, "22112", "2024-03-19 14:08:00"),
            // blacklisted by mobile: SPEC leaves it out of cc, the peer matches by id_no only
            row(BLACKLISTED_MOBILE, "22113", "2024-03-19 16:00:00"),
            // blacklisted by id_no: both leave it out of cc and keep it on mot
            row(BLACKLISTED_ID, "22113", "2024-03-19 16:30:00"));
    Path dump = tmp.resolve("dump.csv");
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    lines.addAll(rows);
    Files.write(dump, lines, StandardCharsets.UTF_8);
    List<String> blacklistLines =
        List.of("id_no,mobile_tel", "4400000000000000" + "09,", "," + BLACKLISTED_MOBILE);
    Path blacklist = Files.write(tmp.resolve("blacklist.csv"), blacklistLines, StandardCharsets.UTF_8);
    List<String> channelLines = List.of("channel_code,channel_name", "14781,同花顺", "10001,抖音");
    Path channels = Files.write(tmp.resolve("channels.csv"), channelLines, StandardCharsets.UTF_8);

    List<RawRow> raw = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      raw.add(RawRow.csv("dump.csv:" + (i + 2), rows.get(i), HEADER));
    }
    ReferenceModel.Result model =
        ReferenceModel.of(StallConfig.defaults())
            .withBlacklist(DimensionCsv.blacklist(blacklistLines, "blacklist.csv"))
            .withChannels(DimensionCsv.channels(channelLines, "channels.csv"))
            .run(raw);
    assertTrue(model.deadLetters.isEmpty(), "the dump is all good rows: " + model.deadLetters);
    spec = model.alerts;
    peer = FlinkSqlPeer.run(dump, blacklist, channels, 2, tmp.resolve("out"));
  }

  private static Set<String> specKeys(String mobile) {
    return spec.stream()
        .filter(a -> a.mobile().equals(mobile))
        .map(a -> a.route() + " " + a.occurDate() + " " + a.occurTime() + " " + a.businessFlag())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> peerKeys(String mobile) {
    return peer.alerts().stream()
        .filter(a -> a.mobile().equals(mobile))
        .map(a -> a.route() + " " + a.occurDate() + " " + a.occurTime() + " " + a.businessFlagLast())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> both(String date, String time, String flag) {
    return Set.of("cc " + date + " " + time + " " + flag, "mot " + date + " " + time + " " + flag);
  }

  @Test
  void agreesWithSpecOnAPlainStallToTheLastField() {
    assertEquals(both("20240319", "10:08:00", "22113"), specKeys(AGREE));
    List<String> specAlerts =
        AlertJson.canonicalAlerts(spec.stream().filter(a -> a.mobile().equals(AGREE)).toList());
    List<String> peerAlerts =
        AlertJson.canonical(
            peer.alerts().stream().filter(a -> a.mobile().equals(AGREE)).map(PeerAlert::toJson).toList());
    assertEquals(specAlerts, peerAlerts);
  }

  @Test
  void alertsAnApplicantWhoseLastRowLeftTheInProgressState() {
    assertEquals(Set.of(), specKeys(LEFT_WITH_STATUS));
    assertEquals(both("20240319", "11:08:00", "22112"), peerKeys(LEFT_WITH_STATUS));
  }

  @Test
  void aRepeatedStepOnTheSameDayIsDroppedByJobOne() {
    assertEquals(both("20240319", "10:15:00", "22107"), specKeys(SAME_DAY_REPEAT));
    assertEquals(both("20240319", "10:08:00", "22107"), peerKeys(SAME_DAY_REPEAT));
  }

  @Test
  void aRepeatAcrossMidnightOutOfOrderSurvivesJobOne() {
    assertEquals(both("20240320", "00:10:00", "22107"), specKeys(MIDNIGHT_REPEAT));
    assertEquals(specKeys(MIDNIGHT_REPEAT), peerKeys(MIDNIGHT_REPEAT));
  }

  @Test
  void aDeadlineAfterMidnightOccursOnTheNextDay() {
    assertEquals(both("20240320", "00:20:00", "22109"), specKeys(NEXT_DAY_DEADLINE));
    assertEquals(specKeys(NEXT_DAY_DEADLINE), peerKeys(NEXT_DAY_DEADLINE));
    for (PeerAlert a : peer.alerts()) {
      if (a.mobile().equals(NEXT_DAY_DEADLINE)) {
        assertEquals("2024-03-19 23:50:00", a.lastActivity());
        assertEquals("video", a.rule());
        assertEquals(30, a.gapMinutes());
      }
    }
  }

  @Test
  void onlyTheFirstStallOfAMobileAndChannelEver() {
    Set<String> expected = new TreeSet<>(both("20240319", "09:08:00", "22113"));
    expected.addAll(both("20240320", "09:08:00", "22113"));
    assertEquals(expected, specKeys(TWO_DAYS));
    assertEquals(both("20240319", "09:08:00", "22113"), peerKeys(TWO_DAYS));
  }

  @Test
  void aNextRowExactlyAGapLaterKeepsTheSessionOpen() {
    assertEquals(both("20240319", "14:08:00", "22113"), specKeys(EXACT_GAP));
    assertEquals(both("20240319", "14:16:00", "22112"), peerKeys(EXACT_GAP));
  }

  @Test
  void theBlacklistMatchesByIdNoOnly() {
    assertEquals(Set.of("mot 20240319 16:08:00 22113"), specKeys(BLACKLISTED_MOBILE));
    assertEquals(both("20240319", "16:08:00", "22113"), peerKeys(BLACKLISTED_MOBILE));
    assertEquals(Set.of("mot 20240319 16:38:00 22113"), specKeys(BLACKLISTED_ID));
    assertEquals(specKeys(BLACKLISTED_ID), peerKeys(BLACKLISTED_ID));
  }

  @Test
  void noOtherAlertsAndTheRunIsTimed() {
    Set<String> mobiles =
        Set.of(AGREE, LEFT_WITH_STATUS, SAME_DAY_REPEAT, MIDNIGHT_REPEAT, NEXT_DAY_DEADLINE,
            TWO_DAYS, EXACT_GAP, BLACKLISTED_MOBILE, BLACKLISTED_ID);
    assertTrue(peer.alerts().stream().allMatch(a -> mobiles.contains(a.mobile())), peer.alerts().toString());
    assertEquals(
        peer.alerts().stream().map(PeerAlert::key).distinct().count(),
        peer.alerts().size(),
        "once per route, mobile and day");
    // 8 applicants alert on both routes, the one blacklisted by id_no on mot only
    assertEquals(17, peer.alerts().size(), peer.alerts().toString());
    assertEquals(17L, peer.alertsPerRoute().values().stream().mapToLong(Long::longValue).sum());
    assertTrue(peer.wallMillis() >= peer.sessionJobMillis() + peer.routeJobMillis() - 1);
    assertTrue(peer.sessionJobMillis() > 0 && peer.routeJobMillis() > 0);
  }
}
