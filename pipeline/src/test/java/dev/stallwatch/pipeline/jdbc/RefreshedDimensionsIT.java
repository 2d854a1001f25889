package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.transforms.StallMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshedDimensions} in a streaming job on the direct runner, against H2 in Oracle mode:
 * a probe reads both side inputs every 100 ms while the tables change underneath. A row added to
 * the blacklist shows in a later load; a table that disappears keeps the last snapshot in the
 * views and counts the failure; an emptied table is refused and counted, a refilled one and a
 * small shrink accepted; a first load that fails stops the job naming the table.
 */
class RefreshedDimensionsIT {
  /** What each running probe saw, by probe id (DoFns are serialized, so they report here). */
  private static final Map<String, List<Dimensions>> SEEN = new ConcurrentHashMap<>();

  private static final Duration REFRESH = Duration.millis(300);

  @Test
  void aLaterLoadShowsANewRowAndAFailedReloadKeepsTheLastSnapshot() throws Exception {
    JdbcSettings settings = JdbcTesting.h2();
    DimensionTables tables = DimensionTables.defaults();
    TableScripts.createMissing(settings, AuditTable.DEFAULT_TABLE, tables);
    JdbcTesting.execute(
        settings,
        "INSERT INTO STALLWATCH_BLACKLIST (ID_NO, MOBILE_TEL) VALUES (?, ?)",
        new Object[] {null, "13800000001"});
    JdbcTesting.execute(
        settings,
        "INSERT INTO STALLWATCH_CHANNEL (CHANNEL_CODE, CHANNEL_NAME) VALUES (?, ?)",
        new Object[] {"14781", "同花顺"});

    String probe = UUID.randomUUID().toString();
    List<Dimensions> seen = new CopyOnWriteArrayList<>();
    SEEN.put(probe, seen);
    PipelineResult job = start(settings, tables, probe);
    try {
      JdbcTesting.await(
          "the first load", 20, () -> !seen.isEmpty() && has(last(seen), "13800000001"));
      assertEquals(ChannelNames.of(Map.of("14781", "同花顺")), last(seen).channels());

      JdbcTesting.execute(
          settings,
          "INSERT INTO STALLWATCH_BLACKLIST (ID_NO, MOBILE_TEL) VALUES (?, ?)",
          new Object[] {"110101199001011234", "13800000002"});
      JdbcTesting.await("the new row", 20, () -> has(last(seen), "13800000002"));
      Dimensions good = last(seen);
      assertEquals(
          Blacklist.of(List.of("110101199001011234"), List.of("13800000001", "13800000002")),
          good.blacklist());

      JdbcTesting.execute(settings, "ALTER TABLE STALLWATCH_BLACKLIST RENAME TO GONE_BLACKLIST");
      JdbcTesting.await("two failed reloads", 20, () -> counter(job, RefreshedDimensions.RELOAD_FAILURES) >= 2);
      int afterFailures = seen.size();
      JdbcTesting.await("the probe after the failures", 20, () -> seen.size() > afterFailures + 3);
      for (Dimensions d : seen.subList(afterFailures, seen.size())) {
        assertEquals(good, d);
      }
    } finally {
      job.cancel();
      SEEN.remove(probe);
    }
  }

  /**
   * The shrink guard: a reload that finds the blacklist table emptied (an ETL between its truncate
   * and its insert) keeps the last snapshot and is counted; once the table is refilled, and when it
   * shrinks by less than the allowed fraction, reloads are accepted.
   */
  @Test
  void anEmptiedTableIsRefusedARefilledOneAndASmallShrinkAccepted() throws Exception {
    JdbcSettings settings = JdbcTesting.h2();
    DimensionTables tables = DimensionTables.defaults();
    TableScripts.createMissing(settings, AuditTable.DEFAULT_TABLE, tables);
    JdbcTesting.execute(settings, INSERT, row(1), row(2), row(3), row(4));

    String probe = UUID.randomUUID().toString();
    List<Dimensions> seen = new CopyOnWriteArrayList<>();
    SEEN.put(probe, seen);
    PipelineResult job = start(settings, tables, probe);
    try {
      Blacklist four = mobiles(1, 2, 3, 4);
      JdbcTesting.await("the first load", 30, () -> !seen.isEmpty() && last(seen).blacklist().equals(four));

      JdbcTesting.execute(settings, "DELETE FROM STALLWATCH_BLACKLIST");
      int emptied = seen.size();
      JdbcTesting.await("two refused reloads", 30, () -> counter(job, RefreshedDimensions.RELOADS_REFUSED) >= 2);
      int afterRefusals = seen.size();
      JdbcTesting.await("the probe after the refusals", 30, () -> seen.size() > afterRefusals + 3);
      for (Dimensions d : seen.subList(emptied, seen.size())) {
        assertEquals(four, d.blacklist(), "the views keep the blacklist of before the table was emptied");
      }

      JdbcTesting.execute(settings, INSERT, row(1), row(2), row(3), row(4), row(5));
      Blacklist five = mobiles(1, 2, 3, 4, 5);
      JdbcTesting.await("the refilled table", 30, () -> last(seen).blacklist().equals(five));

      // 5 rows to 3 is a shrink by 40%, within the default 50%
      JdbcTesting.execute(settings, "DELETE FROM STALLWATCH_BLACKLIST WHERE MOBILE_TEL IN ('13800000004', '13800000005')");
      Blacklist three = mobiles(1, 2, 3);
      JdbcTesting.await("the smaller table", 30, () -> last(seen).blacklist().equals(three));
    } finally {
      job.cancel();
      SEEN.remove(probe);
    }
  }

  private static final String INSERT = "INSERT INTO STALLWATCH_BLACKLIST (ID_NO, MOBILE_TEL) VALUES (?, ?)";

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

  @Test
  void aFirstLoadThatFailsStopsTheJobNamingTheTable() throws Exception {
    JdbcSettings settings = JdbcTesting.h2();
    DimensionTables tables = DimensionTables.defaults().withBlacklist("NO_SUCH_BLACKLIST");
    TableScripts.createMissing(settings, AuditTable.DEFAULT_TABLE, DimensionTables.defaults());

    String probe = UUID.randomUUID().toString();
    SEEN.put(probe, new CopyOnWriteArrayList<>());
    PipelineResult job = start(settings, tables, probe);
    try {
      Exception e =
          assertThrows(Exception.class, () -> job.waitUntilFinish(Duration.standardSeconds(30)));
      Throwable cause = e;
      while (cause != null && !(cause instanceof DimensionLoadException)) {
        cause = cause.getCause();
      }
      assertTrue(cause != null, "not a DimensionLoadException: " + e);
      assertTrue(cause.getMessage().contains("NO_SUCH_BLACKLIST"), cause.getMessage());
      assertTrue(cause.getMessage().contains(settings.url()), cause.getMessage());
      assertTrue(SEEN.get(probe).isEmpty());
    } finally {
      job.cancel();
      SEEN.remove(probe);
    }
  }

  private static PipelineResult start(JdbcSettings settings, DimensionTables tables, String probe) {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
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

  /** Reports the side inputs it sees for each tick. */
  private static final class ProbeFn extends DoFn<Long, Void> {
    private final String probe;
    private final PCollectionView<Blacklist> blacklist;
    private final PCollectionView<ChannelNames> channels;

    ProbeFn(
        String probe,
        PCollectionView<Blacklist> blacklist,
        PCollectionView<ChannelNames> channels) {
      this.probe = probe;
      this.blacklist = blacklist;
      this.channels = channels;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<Dimensions> seen = SEEN.get(probe);
      if (seen != null) {
        seen.add(Dimensions.of(c.sideInput(blacklist), c.sideInput(channels)));
      }
    }
  }

  private static Dimensions last(List<Dimensions> seen) {
    return seen.get(seen.size() - 1);
  }

  private static boolean has(Dimensions d, String mobile) {
    Set<String> mobiles = d.blacklist().mobiles();
    return mobiles.contains(mobile);
  }

  private static long counter(PipelineResult job, String name) {
    long n = 0;
    for (MetricResult<Long> counter :
        job.metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(StallMetrics.NAMESPACE, name)).build())
            .getCounters()) {
      n += counter.getAttempted();
    }
    return n;
  }

}
