package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.embedded.EmbeddedKafka;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.PostgresServer;
import dev.stallwatch.pipeline.jdbc.TableScripts;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.stall.StreamingJob;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StallWatch on a standalone Flink session cluster whose JobManager and two TaskManagers are
 * processes of their own with Flink's jars only on their class path ({@code runners/flink-cluster}),
 * submitted as a user submits it: {@code flink run} of the bundled jar (user code loaded
 * child-first from it), for the backfill and for the streaming job on Kafka and PostgreSQL, and
 * the launcher's {@code --flinkMaster}, which stages the bundled jar through the REST API.
 */
class FlinkClusterIT {
  private static final ZoneId ZONE = ZoneId.of(StallConfig.DEFAULT_ZONE);
  private static final double SPEED = 120;
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

  @Test
  void flinkRunOfTheBundledJarBackfillsEveryConformanceCase() throws Exception {
    for (Path c : Conformance.cases()) {
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
  void flinkRunOfTheStreamingJobOnKafkaAndPostgresGivesTheModelsAlerts() throws Exception {
    StallConfig config = StallConfig.defaults();
    IoNames names = IoNames.defaultNames();
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        PostgresServer postgres = PostgresServer.start()) {
      Map<String, Integer> topics = new LinkedHashMap<>();
      topics.put(names.inputTopic(), 2);
      topics.put(names.deadLetterTopic(), 1);
      config.routes().forEach(r -> topics.put(r.topic(), 1));
      kafka.createTopics(topics);
      JdbcSettings jdbc = postgres.settings();
      TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
      try (Connection c = jdbc.connect();
          Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + names.channelTable() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES ('14781', '同花顺')");
      }

      LocalDate day = LocalDate.of(2024, 3, 20);
      long from = day.atTime(9, 0).atZone(ZONE).toInstant().toEpochMilli();
      JourneyGenerator generator =
          JourneyGenerator.builder().seed(41).applicants(150).firstDay(day).days(1).zone(ZONE).badRowRate(0.01).build();
      ReplayFeed feed = ReplayFeed.of(generator, ZONE, from, from + 90 * 60_000L, 20_000, 41);
      ReferenceModel.Result expected =
          ReferenceModel.of(config).withChannels(ChannelNames.of(Map.of("14781", "同花顺"))).run(feed.rows());
      assertTrue(expected.alerts.size() >= 20, "enough alerts: " + expected.alerts.size());

      // the job's clock and the feed's: the same start, speed and wall anchor
      long startMillis = (feed.firstDueMillis() - 30_000) / 1000 * 1000;
      long anchor = System.currentTimeMillis() + 40_000;
      SimulatedClock clock = SimulatedClock.of(new Instant(startMillis), anchor, SPEED);
      LocalFlinkCluster.Result submitted =
          cluster.flink(
              Duration.ofMinutes(3),
              "run", "-d", LocalFlinkCluster.JOB_JAR.toString(),
              "run", "--runner=FlinkRunner", "--parallelism=2",
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--jdbcUrl=" + jdbc.url(), "--jdbcUser=" + jdbc.user(), "--jdbcPasswordFile=" + postgres.passwordFile(),
              "--simulatedStart=" + LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(startMillis), ZONE),
              "--simulatedSpeed=" + SPEED, "--simulatedAnchor=" + anchor,
              "--maxOutOfOrderness=60", "--idleAfter=60", "--checkpointingInterval=2000",
              "--sinkGroupId=cluster-" + Long.toHexString(System.nanoTime()));
      assertEquals(0, submitted.exit, submitted.output);
      Matcher id = JOB_ID.matcher(submitted.output);
      assertTrue(id.find(), submitted.output);
      try {
        feed.start(kafka.bootstrapServers(), names.inputTopic(), clock);
        // a crash while alerts are pending: kill -9 of a TaskManager that runs the job, then a new one
        awaitAlerts(kafka, config, expected.alerts.size() / 4, 240_000);
        String victim = taskManagerOf(id.group(1));
        long killed = System.currentTimeMillis();
        cluster.kill(victim);
        cluster.addTaskManager();
        awaitRunning(id.group(1), 180_000);
        System.out.printf(
            "FlinkClusterIT: %s killed (kill -9) and a new TaskManager started; the job runs again after %.1f s%n",
            victim, (System.currentTimeMillis() - killed) / 1000.0);
        feed.awaitSent(clock.wallAt(feed.lastDueMillis()) - System.currentTimeMillis() + 120_000);
        long lastAlert = expected.alerts.stream().mapToLong(dev.stallwatch.domain.Alert::occurMillis).max().orElse(0);
        clock.sleepUntil(Math.max(lastAlert, feed.lastDueMillis()) + 180_000);
        List<String> alerts = awaitAlerts(kafka, config, expected.alerts.size(), 120_000);
        Thread.sleep(3_000); // a duplicate, were one written, would come now
        alerts = awaitAlerts(kafka, config, expected.alerts.size(), 0);
        assertEquals(AlertJson.canonicalAlerts(expected.alerts), AlertJson.canonical(alerts), "the route topics hold the model's alerts once");
        assertEquals(JobOutputs.auditKeys(alerts), JobOutputs.auditRows(jdbc, names.auditTable()), "one audit row per alert");
        System.out.printf(
            "FlinkClusterIT: streaming job %s on the cluster: %d alerts, %d audit rows, as the model, none twice%n",
            id.group(1), alerts.size(), expected.alerts.size());
      } finally {
        feed.stop();
        cluster.flink(Duration.ofMinutes(1), "cancel", id.group(1));
      }
    }
  }

  /** The alerts on the route topics (read committed) once there are {@code want}, or at the timeout. */
  private static List<String> awaitAlerts(EmbeddedKafka kafka, StallConfig config, int want, long timeoutMillis)
      throws InterruptedException {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      List<String> alerts = new ArrayList<>();
      config.routes().forEach(r -> alerts.addAll(JobOutputs.committed(kafka.bootstrapServers(), r.topic())));
      if (alerts.size() >= want || System.currentTimeMillis() >= until) {
        return alerts;
      }
      Thread.sleep(1_000);
    }
  }

  /** A TaskManager ({@code taskmanager-N}) that runs a subtask of the job. */
  private static String taskManagerOf(String jobId) throws Exception {
    Matcher vertex = Pattern.compile("\"id\":\"([0-9a-f]{32})\"").matcher(cluster.rest("/jobs/" + jobId));
    while (vertex.find()) {
      Matcher tm =
          Pattern.compile("\"taskmanager-id\":\"(taskmanager-[0-9]+)\"")
              .matcher(cluster.rest("/jobs/" + jobId + "/vertices/" + vertex.group(1)));
      if (tm.find()) {
        return tm.group(1);
      }
    }
    throw new AssertionError("no TaskManager runs job " + jobId);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Waits until the job, restarted after a loss, runs every operator again. */
  private static void awaitRunning(String jobId, long timeoutMillis) throws Exception {
    long until = System.currentTimeMillis() + timeoutMillis;
    Thread.sleep(2_000);
    while (true) {
      String job = cluster.rest("/jobs/" + jobId);
      // restarted (Flink noticed the loss), and every operator runs again
      int operators = count(job, "\"status\":\"");
      if (job.matches("(?s).*\"RESTARTING\":[1-9].*") && operators > 0 && count(job, "\"status\":\"RUNNING\"") == operators) {
        return;
      }
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("job " + jobId + " did not run again: " + job);
      }
      Thread.sleep(500);
    }
  }
}
