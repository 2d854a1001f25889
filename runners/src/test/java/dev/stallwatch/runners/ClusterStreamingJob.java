package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Route;
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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.joda.time.Instant;

/**
 * The streaming job on the local cluster as a user runs it, for the cluster tests: a Kafka broker
 * and a PostgreSQL server of its own, a generated morning replayed into the input topic on a
 * simulated clock, the job submitted with {@code flink run -d} of the bundled jar (restored from a
 * checkpoint or savepoint with {@code -s}), and the reference model's answer to hold it to.
 */
final class ClusterStreamingJob implements AutoCloseable {
  private static final ZoneId ZONE = ZoneId.of(StallConfig.DEFAULT_ZONE);
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Map<String, String> CHANNELS = Map.of("14781", "同花顺");

  final StallConfig config = StallConfig.defaults();
  final IoNames names = IoNames.defaultNames();
  final ReferenceModel.Result expected;
  private final LocalFlinkCluster cluster;
  private final EmbeddedKafka kafka;
  private final PostgresServer postgres;
  private final JdbcSettings jdbc;
  private final ReplayFeed feed;
  private final SimulatedClock clock;
  private final double speed;
  private final long startMillis;
  private final long anchorMillis;
  /** The exactly-once sink groups of this job; a restored job keeps them. */
  private final String sinkGroup = "cluster-" + Long.toHexString(System.nanoTime());
  private String jobId;

  private ClusterStreamingJob(
      LocalFlinkCluster cluster, EmbeddedKafka kafka, PostgresServer postgres, ReplayFeed feed, double speed)
      throws Exception {
    this.cluster = cluster;
    this.kafka = kafka;
    this.postgres = postgres;
    this.jdbc = postgres.settings();
    this.feed = feed;
    this.speed = speed;
    this.expected = ReferenceModel.of(config).withChannels(ChannelNames.of(CHANNELS)).run(feed.rows());
    // the job's clock and the feed's: the same start, speed and wall anchor (time for the submission)
    this.startMillis = (feed.firstDueMillis() - 30_000) / 1000 * 1000;
    this.anchorMillis = System.currentTimeMillis() + 40_000;
    this.clock = SimulatedClock.of(new Instant(startMillis), anchorMillis, speed);
  }

  /**
   * A broker, a database with the job's tables and a channel name, and {@code minutes} simulated
   * minutes of {@code applicants} applicants from 09:00, replayed at {@code speed}.
   */
  static ClusterStreamingJob prepare(LocalFlinkCluster cluster, long seed, int applicants, int minutes, double speed)
      throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    PostgresServer postgres = null;
    try {
      postgres = PostgresServer.start();
      StallConfig config = StallConfig.defaults();
      IoNames names = IoNames.defaultNames();
      Map<String, Integer> topics = new LinkedHashMap<>();
      topics.put(names.inputTopic(), 2);
      topics.put(names.deadLetterTopic(), 1);
      config.routes().forEach(r -> topics.put(r.topic(), 1));
      kafka.createTopics(topics);
      JdbcSettings jdbc = postgres.settings();
      TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
      try (Connection c = jdbc.connect();
          Statement s = c.createStatement()) {
        for (Map.Entry<String, String> e : CHANNELS.entrySet()) {
          s.execute(
              "INSERT INTO " + names.channelTable() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES ('" + e.getKey() + "', '"
                  + e.getValue() + "')");
        }
      }
      LocalDate day = LocalDate.of(2024, 3, 20);
      long from = day.atTime(9, 0).atZone(ZONE).toInstant().toEpochMilli();
      JourneyGenerator generator =
          JourneyGenerator.builder().seed(seed).applicants(applicants).firstDay(day).days(1).zone(ZONE).badRowRate(0.01).build();
      ReplayFeed feed = ReplayFeed.of(generator, ZONE, from, from + minutes * 60_000L, 20_000, seed);
      return new ClusterStreamingJob(cluster, kafka, postgres, feed, speed);
    } catch (Exception | Error e) {
      kafka.close();
      if (postgres != null) {
        postgres.close();
      }
      throw e;
    }
  }

  String jobId() {
    return jobId;
  }

  JdbcSettings jdbc() {
    return jdbc;
  }

  SimulatedClock clock() {
    return clock;
  }

  /**
   * {@code flink run -d} of the bundled jar's {@code run}; with {@code restoreFrom}, {@code -s} of
   * that checkpoint or savepoint. Returns the new job's id.
   */
  String submit(String restoreFrom, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-d"));
    if (restoreFrom != null) {
      args.addAll(List.of("-s", restoreFrom));
    }
    args.addAll(
        List.of(
            LocalFlinkCluster.JOB_JAR.toString(),
            "run", "--runner=FlinkRunner", "--parallelism=2",
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--jdbcUrl=" + jdbc.url(), "--jdbcUser=" + jdbc.user(), "--jdbcPasswordFile=" + postgres.passwordFile(),
            "--simulatedStart=" + LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(startMillis), ZONE),
            "--simulatedSpeed=" + speed, "--simulatedAnchor=" + anchorMillis,
            "--maxOutOfOrderness=60", "--idleAfter=60", "--checkpointingInterval=2000",
            "--sinkGroupId=" + sinkGroup));
    args.addAll(List.of(extra));
    LocalFlinkCluster.Result submitted = cluster.flink(Duration.ofMinutes(3), args.toArray(new String[0]));
    assertEquals(0, submitted.exit, submitted.output);
    Matcher id = JOB_ID.matcher(submitted.output);
    assertTrue(id.find(), submitted.output);
    jobId = id.group(1);
    return jobId;
  }

  /** Starts replaying the morning into the input topic. */
  void startFeed() {
    feed.start(kafka.bootstrapServers(), names.inputTopic(), clock);
  }

  /** The alerts on the route topics (read committed) once there are {@code want}, or at the timeout. */
  List<String> awaitAlerts(int want, long timeoutMillis) throws InterruptedException {
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

  /**
   * Waits until the whole morning is sent and the simulated clock is past the last deadline, then
   * until the model's alerts have arrived (or two minutes more), and tallies the outputs.
   */
  Tally finish() throws Exception {
    feed.awaitSent(clock.wallAt(feed.lastDueMillis()) - System.currentTimeMillis() + 180_000);
    long lastAlert = expected.alerts.stream().mapToLong(Alert::occurMillis).max().orElse(0);
    clock.sleepUntil(Math.max(lastAlert, feed.lastDueMillis()) + 180_000);
    awaitAlerts(expected.alerts.size(), 120_000);
    Thread.sleep(3_000); // a duplicate, were one written, would come now
    return tally();
  }

  /** What the route topics and the audit table hold against the model's alerts. */
  Tally tally() throws Exception {
    List<Tally.Line> lines = new ArrayList<>();
    for (Route r : config.routes()) {
      List<String> received = AlertJson.canonical(JobOutputs.committed(kafka.bootstrapServers(), r.topic()));
      List<String> want =
          AlertJson.canonicalAlerts(expected.alerts.stream().filter(a -> a.route().equals(r.name())).collect(Collectors.toList()));
      lines.add(Tally.Line.of("topic " + r.topic(), want, received));
    }
    List<String> auditWant =
        new ArrayList<>(JobOutputs.auditKeys(expected.alerts.stream().map(Alert::toJson).collect(Collectors.toList())));
    lines.add(Tally.Line.of("table " + names.auditTable(), auditWant, JobOutputs.auditRowList(jdbc, names.auditTable())));
    return new Tally(lines);
  }

  void cancel() throws Exception {
    if (jobId != null) {
      cluster.flink(Duration.ofMinutes(1), "cancel", jobId);
    }
  }

  @Override
  public void close() throws Exception {
    feed.stop();
    try {
      cancel();
    } finally {
      kafka.close();
      postgres.close();
    }
  }

  /** Expected, received, lost and duplicated outputs, per topic and for the audit table. */
  record Tally(List<Line> lines) {
    record Line(String output, int expected, int received, int lost, int duplicated, int unexpected, String firstUnexpected) {
      static Line of(String output, List<String> want, List<String> got) {
        TreeSet<String> wanted = new TreeSet<>(want);
        TreeSet<String> distinct = new TreeSet<>(got);
        int lost = (int) wanted.stream().filter(w -> !distinct.contains(w)).count();
        List<String> foreign = distinct.stream().filter(g -> !wanted.contains(g)).collect(Collectors.toList());
        return new Line(
            output, want.size(), got.size(), lost, got.size() - distinct.size(), foreign.size(),
            foreign.isEmpty() ? "" : foreign.get(0));
      }

      @Override
      public String toString() {
        return String.format(
            "%s: expected %d, received %d, lost %d, duplicated %d, not in the model %d%s",
            output, expected, received, lost, duplicated, unexpected,
            firstUnexpected.isEmpty() ? "" : " (the first: " + firstUnexpected + ")");
      }
    }

    /** Nothing twice and nothing the model does not have, though some may still be to come. */
    boolean sound() {
      return lines.stream().allMatch(l -> l.duplicated == 0 && l.unexpected == 0);
    }

    boolean exact() {
      return lines.stream().allMatch(l -> l.lost == 0 && l.duplicated == 0 && l.unexpected == 0 && l.expected == l.received);
    }

    @Override
    public String toString() {
      return lines.stream().map(Line::toString).collect(Collectors.joining("; "));
    }
  }
}
