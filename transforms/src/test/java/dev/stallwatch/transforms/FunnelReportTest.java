package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.domain.StepCatalog;
import dev.stallwatch.domain.StepClass;
import dev.stallwatch.report.FunnelTally;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FunnelReport} on three hand-made applicants, every expected number worked out by hand in
 * the comments: the funnel per step and dimension, time at step, alerts and a comparison with
 * 15-minute steps.
 */
@ExtendWith(TestPipelineExtension.class)
class FunnelReportTest {
  private static final ZoneId ZONE = ZoneId.of(StallConfig.DEFAULT_ZONE);
  private static final ConcurrentLinkedQueue<FunnelTally> TALLIES = new ConcurrentLinkedQueue<>();

  /*
   * Events counted: A 5, B 3 (its duplicate once), C 1.
   * A (c1, b1): 10:00 12100, 10:02 22146 (ID_UPLOAD), 10:05 22145 (PROFILE_EDIT), 10:19 22109
   *   (VIDEO), 10:25 22114 (submitted). PROFILE_EDIT stalls at 8 minutes (14 to the next), not at 15.
   *   Visits: ID_UPLOAD 300 s, PROFILE_EDIT 840 s, VIDEO 360 s.
   * B (c2, no branch): 11:00 12100 twice (an exact duplicate), 11:03 99999 (UNKNOWN), 11:04 22109
   *   (VIDEO, the last: a stall under both configs, deadline 11:34). Visits: ID_UPLOAD 180 s,
   *   UNKNOWN 60 s; the VIDEO visit has nothing after it, so it is not timed.
   * C (c1, b2): 12:00 12100 alone: an ID_UPLOAD stall, deadline 12:08, or 12:15 with 15 minutes.
   */
  private static List<Event> journeys() {
    return List.of(
        event("13800000001", "a", "c1", "b1", "12100", "10:00:00"),
        event("13800000001", "a", "c1", "b1", "22146", "10:02:00"),
        event("13800000001", "a", "c1", "b1", "22145", "10:05:00"),
        event("13800000001", "a", "c1", "b1", "22109", "10:19:00"),
        event("13800000001", "a", "c1", "b1", "22114", "10:25:00"),
        event("13800000002", "b", "c2", "", "12100", "11:00:00"),
        event("13800000002", "b", "c2", "", "12100", "11:00:00"),
        event("13800000002", "b", "c2", "", "99999", "11:03:00"),
        event("13800000002", "b", "c2", "", "22109", "11:04:00"),
        event("13800000003", "c", "c1", "b2", "12100", "12:00:00"));
  }

  @Test
  void theFunnelAlertsAndComparisonOfThreeApplicants(TestPipeline pipeline) throws Exception {
    TALLIES.clear();
    List<StallRecord> records = new ArrayList<>();
    journeys().forEach(e -> records.add(StallRecord.of(e)));
    pipeline
        .apply(Create.of(records).withCoder(StallRecord.StallRecordCoder.of()))
        .apply(FunnelReport.of(StallConfig.defaults()).withComparison(fifteenMinuteSteps()).withKeyBuckets(4))
        .get(FunnelReport.tally())
        .apply(ParDo.of(new Keep()));
    pipeline.run().waitUntilFinish();
    assertEquals(1, TALLIES.size(), "one tally for the whole input");
    FunnelTally tally = TALLIES.peek();

    Map<String, String> steps = new TreeMap<>();
    for (FunnelTally.StepCounts r : tally.steps()) {
      steps.put(r.dimension() + "/" + r.value() + "/" + r.stepClass(),
          r.reached() + " " + r.left() + " " + r.submitted() + " " + r.stalled() + " | " + r.visitsTimed() + " "
              + r.medianSeconds() + " " + r.p90Seconds());
    }
    // reached, left for a later step, submitted, stalled | visits timed, median, p90
    assertEquals("3 2 1 1 | 2 180 300", steps.get("all//ID_UPLOAD"), "A left for PROFILE_EDIT, B for VIDEO; C stalled");
    assertEquals("1 1 1 1 | 1 840 840", steps.get("all//PROFILE_EDIT"));
    assertEquals("2 0 1 1 | 1 360 360", steps.get("all//VIDEO"), "B's last VIDEO visit is not timed");
    assertEquals("1 1 0 0 | 1 60 60", steps.get("all//UNKNOWN"), "UNKNOWN is reached and timed, never a stall");
    assertEquals("2 1 1 1 | 1 300 300", steps.get("channel/c1/ID_UPLOAD"), "A and C arrived on c1");
    assertEquals("1 1 0 0 | 1 180 180", steps.get("channel/c2/ID_UPLOAD"));
    assertEquals("1 1 0 0 | 1 180 180", steps.get("branch//ID_UPLOAD"), "B has no branch");
    assertEquals("1 0 0 1 | 0 null null", steps.get("branch/b2/ID_UPLOAD"));
    assertEquals("1 1 1 0 | 1 300 300", steps.get("hour/10/ID_UPLOAD"));
    assertEquals("1 0 0 1 | 0 null null", steps.get("hour/12/ID_UPLOAD"));
    assertEquals(4 + (3 + 3) + (3 + 3 + 1) + (3 + 3 + 1), steps.size(),
        "all: 4 classes; channel: c1 3, c2 3; branch: b1 3, none 3, b2 1; hour: 10 has 3, 11 has 3, 12 has 1");

    assertEquals(
        Map.of("applicants", 3L, "events", 9L, "duplicates", 1L, "stalls", 3L, "submitted", 1L),
        tally.totals());
    assertEquals(
        Map.of(
            List.of("current", "cc", "20240320"), 3L, List.of("current", "mot", "20240320"), 3L,
            List.of("other", "cc", "20240320"), 2L, List.of("other", "mot", "20240320"), 2L),
        tally.alerts());
    assertEquals(Map.of(), tally.suppressed());
    // per route: A only under the current rules; B both, shift 0; C both, shift 7 minutes
    for (FunnelTally.Comparison c : tally.comparisons()) {
      assertEquals("20240320", c.day());
      assertEquals(List.of(3L, 2L, 1L, 0L, 2L, 0L), List.of(c.current(), c.other(), c.onlyCurrent(), c.onlyOther(), c.both(),
          c.medianShiftSeconds()), c.route());
      assertEquals(210.0, c.meanShiftSeconds(), 1e-9, c.route());
    }
    assertEquals(2, tally.comparisons().size(), "one row per route");

    // its coder gives the same tally back, negative counts too
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(FunnelTally.TallyCoder.of(), tally);
    FunnelTally negative = new FunnelTally();
    negative.count("shifted", -3);
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(FunnelTally.TallyCoder.of(), negative);
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(FunnelTally.TallyCoder.of(), new FunnelTally());
  }

  @Test
  void nearestRankQuantiles() {
    // 1 1 2 2 3 4 10 10 10 10, added out of order and past the first table's size
    dev.stallwatch.report.Histogram h = new dev.stallwatch.report.Histogram();
    h.add(10, 3);
    h.add(2, 2);
    h.add(4, 1);
    h.add(1, 2);
    h.add(3, 1);
    h.add(10, 1);
    for (long v = 100; v < 120; v++) {
      h.add(v, 0); // values seen with no count: they move no rank
    }
    assertEquals(10, h.total());
    assertEquals(3L, h.quantile(0.5), "the 5th of 10");
    assertEquals(10L, h.quantile(0.9), "the 9th of 10");
    assertEquals(53.0, h.sum(), 1e-9);
    dev.stallwatch.report.Histogram one = new dev.stallwatch.report.Histogram();
    one.add(-7, 1);
    assertEquals(-7L, one.quantile(0.9), "shifts can be negative");
    one.addAll(h);
    assertEquals(11, one.total());
    assertEquals(null, new dev.stallwatch.report.Histogram().quantile(0.5));
  }

  private static StallConfig fifteenMinuteSteps() {
    List<String> steps = new ArrayList<>();
    for (StepClass c : StepCatalog.defaults().classes()) {
      if (!c.name().equals("VIDEO")) {
        steps.add(c.name());
      }
    }
    return StallConfig.builder()
        .rules(List.of(
            Rule.of("video", Set.of("VIDEO"), Duration.standardMinutes(30), "视频见证"),
            Rule.of("steps", Set.copyOf(steps), Duration.standardMinutes(15), "非视频见证")))
        .build();
  }

  private static Event event(String mobile, String user, String channel, String branch, String flag, String time) {
    long millis = LocalDateTime.parse("2024-03-20T" + time).atZone(ZONE).toInstant().toEpochMilli();
    return Event.builder()
        .mobile(mobile)
        .userId(user)
        .requestNo("r-" + user)
        .clientName("")
        .idNo("")
        .birthday("")
        .branchNo(branch)
        .channelCode(channel)
        .requestStatus("0")
        .businessFlag(flag)
        .fundAccount("")
        .recommender("")
        .eventMillis(millis)
        .build();
  }

  private static final class Keep extends DoFn<FunnelTally, Void> {
    @ProcessElement
    public void process(@Element FunnelTally t) {
      TALLIES.add(t);
    }
  }
}
