package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.transforms.StallMetrics;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The shrink guard of {@link RefreshedDimensions}: a reload that finds the blacklist table emptied
 * (an ETL between its truncate and its insert) keeps the last snapshot and is counted; once the
 * table is refilled, and when it shrinks by less than the allowed fraction, reloads are accepted.
 * A streaming job on the direct runner against H2, like {@link RefreshedDimensionsIT}.
 */
class RefreshedDimensionsShrinkTest {
  private static final Map<String, List<Blacklist>> SEEN = new ConcurrentHashMap<>();
  private static final Duration REFRESH = Duration.millis(300);
  private static final String INSERT =
      "INSERT INTO STALLWATCH_BLACKLIST (ID_NO, MOBILE_TEL) VALUES (?, ?)";

  @Test
  void anEmptiedTableIsRefusedARefilledOneAndASmallShrinkAccepted() throws Exception {
    JdbcSettings settings = JdbcTesting.h2();
    DimensionTables tables = DimensionTables.defaults();
    TableScripts.createMissing(settings, AuditTable.DEFAULT_TABLE, tables);
    JdbcTesting.execute(settings, INSERT, row(1), row(2), row(3), row(4));

    String probe = UUID.randomUUID().toString();
    List<Blacklist> seen = new CopyOnWriteArrayList<>();
    SEEN.put(probe, seen);
    PipelineResult job = start(settings, tables, probe);
    try {
      Blacklist four = mobiles(1, 2, 3, 4);
      JdbcTesting.await("the first load", 30, () -> !seen.isEmpty() && last(seen).equals(four));

      JdbcTesting.execute(settings, "DELETE FROM STALLWATCH_BLACKLIST");
      int emptied = seen.size();
      JdbcTesting.await("two refused reloads", 30, () -> refused(job) >= 2);
      int afterRefusals = seen.size();
      JdbcTesting.await("the probe after the refusals", 30, () -> seen.size() > afterRefusals + 3);
      for (Blacklist b : seen.subList(emptied, seen.size())) {
        assertEquals(four, b, "the views keep the blacklist of before the table was emptied");
      }

      JdbcTesting.execute(settings, INSERT, row(1), row(2), row(3), row(4), row(5));
      Blacklist five = mobiles(1, 2, 3, 4, 5);
      JdbcTesting.await("the refilled table", 30, () -> last(seen).equals(five));

      // 5 rows to 3 is a shrink by 40%, within the default 50%
      JdbcTesting.execute(settings, "DELETE FROM STALLWATCH_BLACKLIST WHERE MOBILE_TEL IN ('13800000004', '13800000005')");
      Blacklist three = mobiles(1, 2, 3);
      JdbcTesting.await("the smaller table", 30, () -> last(seen).equals(three));
    } finally {
      job.cancel();
      SEEN.remove(probe);
    }
  }

  @Test
  void aTableIsRefusedWhenItFallsBelowTheFractionItMayKeep() {
    Map<String, Long> before = Map.of("BL", 100L, "CH", 10L);
    assertEquals(List.of(), RefreshedDimensions.shrunk(before, Map.of("BL", 50L, "CH", 10L), 0.5));
    assertEquals(List.of("BL"), RefreshedDimensions.shrunk(before, Map.of("BL", 49L), 0.5));
    assertEquals(List.of("CH"), RefreshedDimensions.shrunk(before, Map.of("CH", 0L), 0.5));
    assertEquals(List.of(), RefreshedDimensions.shrunk(before, Map.of("BL", 0L, "CH", 0L), 1.0));
    assertEquals(List.of("BL"), RefreshedDimensions.shrunk(before, Map.of("BL", 99L), 0.0));
    assertEquals(List.of(), RefreshedDimensions.shrunk(before, Map.of("NEW", 0L), 0.5));
    assertEquals(List.of(), RefreshedDimensions.shrunk(Map.of("BL", 0L), Map.of("BL", 0L), 0.0));

    for (double wrong : new double[] {-0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RefreshedDimensions.of(JdbcTesting.h2(), DimensionTables.defaults()).withMaxShrink(wrong));
      assertTrue(e.getMessage().startsWith("--dimensionMaxShrink: "), e.getMessage());
    }
  }

  private static Object[] row(int i) {
    return new Object[] {null, "1380000000" + i};
  }

  private static Blacklist mobiles(int... numbers) {
    List<String> mobiles = new java.util.ArrayList<>();
    for (int i : numbers) {
      mobiles.add("1380000000" + i);
    }
    return Blacklist.of(List.of(), mobiles);
  }

  private static PipelineResult start(JdbcSettings settings, DimensionTables tables, String probe) {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline pipeline = Pipeline.create(options);
    RefreshedDimensions.Views views =
        pipeline.apply("Dimensions", RefreshedDimensions.of(settings, tables).every(REFRESH));
    pipeline
        .apply("ProbeTicks", GenerateSequence.from(0).withRate(1, Duration.millis(100)))
        .apply(
            "Probe",
            ParDo.of(new ProbeFn(probe, views.blacklist(), views.channels()))
                .withSideInputs(views.blacklist(), views.channels()));
    return pipeline.run();
  }

  /** Reports the blacklist it sees for each tick (it reads the channels too, as jobs do). */
  private static final class ProbeFn extends DoFn<Long, Void> {
    private final String probe;
    private final PCollectionView<Blacklist> blacklist;
    private final PCollectionView<ChannelNames> channels;

    ProbeFn(String probe, PCollectionView<Blacklist> blacklist, PCollectionView<ChannelNames> channels) {
      this.probe = probe;
      this.blacklist = blacklist;
      this.channels = channels;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<Blacklist> seen = SEEN.get(probe);
      c.sideInput(channels);
      if (seen != null) {
        seen.add(c.sideInput(blacklist));
      }
    }
  }

  private static Blacklist last(List<Blacklist> seen) {
    return seen.get(seen.size() - 1);
  }

  private static long refused(PipelineResult job) {
    long n = 0;
    for (MetricResult<Long> counter :
        job.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(StallMetrics.NAMESPACE, RefreshedDimensions.RELOADS_REFUSED))
                    .build())
            .getCounters()) {
      n += counter.getAttempted();
    }
    return n;
  }
}
