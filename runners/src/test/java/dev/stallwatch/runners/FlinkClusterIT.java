package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StallWatch on a standalone Flink session cluster whose JobManager and two TaskManagers are
 * processes of their own with Flink's jars only on their class path ({@code runners/flink-cluster}),
 * submitted as a user submits it: {@code flink run} of the bundled jar (user code loaded
 * child-first from it), for the backfill and for the streaming job on Kafka and PostgreSQL, and
 * the launcher's {@code --flinkMaster}, which stages the bundled jar through the REST API. The
 * streaming job's counters are read over the REST API, as the web dashboard shows them, while it
 * runs and at its end, against the model's figures. Crashes on this cluster are {@link
 * ClusterFaultsIT}'s.
 */
class FlinkClusterIT {
  private static final double SPEED = 240;
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  @TempDir static Path tmp;
  private static LocalFlinkCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalFlinkCluster.start(tmp.resolve("flink"), 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * One conformance case (the first by name): every case runs on the Flink runner in {@link
   * FlinkBackfillIT}; here what is under test is the submission, which costs a client JVM each.
   */
  @Test
  void flinkRunOfTheBundledJarBackfillsAConformanceCase() throws Exception {
    for (Path c : Conformance.cases().subList(0, 1)) {
      Path out = tmp.resolve("flink-run-" + c.getFileName());
      LocalFlinkCluster.Result r =
          cluster.flink(
              Duration.ofMinutes(5),
              "run", LocalFlinkCluster.JOB_JAR.toString(),
              "backfill", "--runner=FlinkRunner", "--parallelism=2",
              "--input=" + Conformance.dump(c),
              "--blacklist=" + c.resolve("blacklist.csv"),
              "--channels=" + c.resolve("channels.csv"),
              "--output=" + out);
      assertEquals(0, r.exit, r.output);
      assertTrue(JOB_ID.matcher(r.output).find(), "submitted to the cluster: " + r.output);
      assertEquals(AlertJson.canonical(Conformance.expectedAlerts(c)), AlertJson.canonical(Conformance.outputLines(out, "alerts")), c.toString());
    }
  }

  @Test
  void theLaunchersFlinkMasterStagesTheBundledJarOnTheCluster() throws Exception {
    Path c = Conformance.cases().get(0);
    Path out = tmp.resolve("flink-master");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of("stallwatch").toAbsolutePath().toString(),
                "backfill", "--runner=FlinkRunner", "--flinkMaster=" + cluster.master(), "--parallelism=2",
                "--input=" + Conformance.dump(c),
                "--blacklist=" + c.resolve("blacklist.csv"),
                "--channels=" + c.resolve("channels.csv"),
                "--output=" + out)
            .redirectErrorStream(true);
    pb.environment().put("STALLWATCH_HEAP", "1g");
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), printed);
    assertEquals(AlertJson.canonical(Conformance.expectedAlerts(c)), AlertJson.canonical(Conformance.outputLines(out, "alerts")));
    assertTrue(cluster.rest("/jobs/overview").contains("\"name\":\"stallwatch-backfill\""), "the job ran on the cluster");
  }

  @Test
  void flinkRunOfTheStreamingJobGivesTheModelsAlertsAndShowsItsCountersOverRest() throws Exception {
    try (ClusterStreamingJob job = ClusterStreamingJob.prepare(cluster, 41, 400, 90, SPEED)) {
      ReferenceModel.Result expected = job.expected;
      assertTrue(expected.alerts.size() >= 20, "enough alerts: " + expected.alerts.size());
      assertTrue(!expected.deadLetters.isEmpty() && expected.duplicates > 0, "bad rows and duplicates to count");
      String id = job.submit(null, "--sideInputRefresh=2");
      job.startFeed();

      // while the job runs, its counters are on the REST API (and so on the web dashboard)
      job.awaitAlerts(1, 240_000);
      Map<String, Long> running =
          awaitCounters(id, c -> c.getOrDefault("stallwatch_rows_read", 0L) > 0 && c.getOrDefault("stallwatch_stalls", 0L) > 0);
      System.out.println("FlinkClusterIT: counters over REST while the job runs: " + running);

      // a dimension table that cannot be read for a while: the reload failures are counted
      String blacklist = job.names.blacklistTable();
      sql(job, "ALTER TABLE " + blacklist + " RENAME TO " + blacklist + "_away");
      Map<String, Long> failing = awaitCounters(id, c -> c.getOrDefault("stallwatch_dimension_reload_failures", 0L) > 0);
      sql(job, "ALTER TABLE " + blacklist + "_away RENAME TO " + blacklist);
      System.out.println(
          "FlinkClusterIT: with the blacklist table away, stallwatch_dimension_reload_failures = "
              + failing.get("stallwatch_dimension_reload_failures"));

      ClusterStreamingJob.Tally tally = job.finish();
      System.out.println("FlinkClusterIT: streaming job " + id + " on the cluster: " + tally);
      assertTrue(tally.exact(), tally.toString());

      // at the end, every counter of the job's work equals the model's figure
      Map<String, Long> want = modelCounters(expected, job.config);
      Map<String, Long> end = awaitCounters(id, c -> want.keySet().stream().allMatch(k -> want.get(k).equals(c.get(k))), 60_000);
      Map<String, Long> got = new TreeMap<>();
      want.keySet().forEach(k -> got.put(k, end.get(k)));
      assertEquals(want, got, "the counters over REST against the model's; all of them: " + end);
      System.out.println("FlinkClusterIT: counters over REST at the end, as the model's: " + end);
    }
  }

  /** The model's figure for each counter the job keeps, named as Flink shows them (zeroes left out: Flink shows a counter once it moves). */
  private static Map<String, Long> modelCounters(ReferenceModel.Result m, StallConfig config) {
    Map<String, Long> want = new TreeMap<>();
    want.put("stallwatch_rows_read", m.rowsRead);
    want.put("stallwatch_bad_rows", (long) m.deadLetters.size());
    want.put("stallwatch_duplicates", m.duplicates);
    want.put("stallwatch_stalls", (long) m.stalls.size());
    for (dev.stallwatch.domain.Stall stall : m.stalls) { // per step, as the dashboard shows where applicants stall
      want.merge("stallwatch_stalls_at_" + stall.event().stepClass(), 1L, Long::sum);
    }
    for (dev.stallwatch.domain.Route r : config.routes()) {
      want.put("stallwatch_alerts_" + r.name(), m.alerts.stream().filter(a -> a.route().equals(r.name())).count());
      want.put("stallwatch_suppressed_blacklist_" + r.name(), m.suppressedBlacklist.getOrDefault(r.name(), 0L));
      want.put("stallwatch_suppressed_send_window_" + r.name(), m.suppressedSendWindow.getOrDefault(r.name(), 0L));
      want.put("stallwatch_suppressed_once_per_period_" + r.name(), m.suppressedOncePerPeriod.getOrDefault(r.name(), 0L));
    }
    want.values().removeIf(v -> v == 0);
    return want;
  }

  private static Map<String, Long> awaitCounters(String jobId, java.util.function.Predicate<Map<String, Long>> until)
      throws Exception {
    return awaitCounters(jobId, until, 120_000);
  }

  /** The job's counters over REST once {@code until} holds for them, or (failing) at the timeout. */
  private static Map<String, Long> awaitCounters(
      String jobId, java.util.function.Predicate<Map<String, Long>> until, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      Map<String, Long> counters = cluster.counters(jobId);
      if (until.test(counters)) {
        return counters;
      }
      if (System.currentTimeMillis() > deadline) {
        return counters;
      }
      Thread.sleep(1_000);
    }
  }

  private static void sql(ClusterStreamingJob job, String statement) throws Exception {
    try (Connection c = job.jdbc().connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
