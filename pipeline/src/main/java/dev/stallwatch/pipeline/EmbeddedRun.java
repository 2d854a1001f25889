package dev.stallwatch.pipeline;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.embedded.EmbeddedKafka;
import dev.stallwatch.pipeline.embedded.TemporaryDirectory;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonReader;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.TableScripts;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The embedded default of {@code stallwatch run}: everything the streaming job needs, in process.
 * An in-process Kafka broker, the generator replaying a simulated trading day at high speed onto the
 * change-stream topic, and the job on the runner the launch chose (the embedded Flink by default).
 * It prints alerts as they arrive on the route topics and, once the replay is done and the last
 * deadlines have passed, a summary held against the reference model; exit status 0 when the job's
 * alerts are exactly the model's.
 */
final class EmbeddedRun {
  static final LocalDate DAY = LocalDate.of(2024, 3, 20);
  static final double SPEED = 1500;
  /** How long, in wall seconds, the clock waits for the job to start before the day begins. */
  private static final long STARTUP_MILLIS = 15_000;

  private final PrintStream out;
  private final PrintStream err;

  EmbeddedRun(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the replay; answers the exit status. */
  int run(RunOptions options, StallConfig config, IoNames names, ChannelNames channels, Duration refresh)
      throws Exception {
    double speed = options.getSimulatedSpeed() == null ? SPEED : options.getSimulatedSpeed();
    long wallSecond = Math.round(speed);
    if (options.getMaxOutOfOrderness() == null) {
      options.setMaxOutOfOrderness((int) Math.max(1, Math.round(2 * speed)));
    }
    if (options.getIdleAfter() == null) {
      options.setIdleAfter((int) Math.max(1, wallSecond));
    }
    long boundMillis = options.getMaxOutOfOrderness() * 1000L;
    JourneyGenerator generator =
        JourneyGenerator.builder()
            .seed(options.getReplaySeed())
            .applicants(options.getReplayApplicants())
            .firstDay(DAY)
            .days(Math.max(1, options.getReplayDays()))
            .zone(config.zone())
            .badRowRate(0.01)
            .build();
    KafkaReplay replay = KafkaReplay.of(generator, options.getReplaySeed(), config.zone(), boundMillis / 3);
    Blacklist blacklist = sampleBlacklist(replay);
    ReferenceModel.Result expected =
        ReferenceModel.of(config).withBlacklist(blacklist).withChannels(channels).run(replay.rows());

    err.println("stallwatch run: no --bootstrapServers: starting the embedded default");
    // A job started afresh needs exactly-once sink groups of its own (TransactionalTopic refuses a
    // group an earlier job wrote).
    options.setSinkGroupId("stallwatch-embedded-" + java.util.UUID.randomUUID());
    try (TemporaryDirectory dbDir = TemporaryDirectory.create("stallwatch-h2");
        TemporaryDirectory checkpointDir = TemporaryDirectory.create("stallwatch-checkpoints");
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      CheckpointStorageOptions storage = options.as(CheckpointStorageOptions.class);
      if (storage.getStateBackendStoragePath() == null) {
        // Full snapshots (the heap backend) in a directory of ours, so the summary can tell how big the state is.
        storage.setStateBackend("filesystem");
        storage.setStateBackendStoragePath(checkpointDir.path().toUri().toString());
      }
      CheckpointSizes checkpoints = new CheckpointSizes(storage.getStateBackendStoragePath());
      JdbcSettings jdbc =
          JdbcSettings.builder("jdbc:h2:file:" + dbDir.path().resolve("stallwatch") + ";MODE=Oracle")
              .user("stallwatch")
              .passwordEnv("STALLWATCH_EMBEDDED_H2_PASSWORD")
              .build();
      seedDatabase(jdbc, names, blacklist, channels);
      options.setBootstrapServers(kafka.bootstrapServers());
      Map<String, Integer> topics = new LinkedHashMap<>();
      topics.put(names.inputTopic(), 2);
      topics.put(names.deadLetterTopic(), 1);
      config.routes().forEach(r -> topics.put(r.topic(), 1));
      kafka.createTopics(topics);
      SimulatedClock clock =
          SimulatedClock.of(
              new Instant(replay.firstDueMillis() - 60_000), System.currentTimeMillis() + STARTUP_MILLIS, speed);
      err.printf(
          "stallwatch run: Kafka %s; replaying %d rows of %d applicants on %s (%s), clock %s%n",
          kafka.bootstrapServers(),
          replay.messages().size(),
          options.getReplayApplicants(),
          DAY,
          config.zoneId(),
          clock);
      err.printf(
          "stallwatch run: watermark bound %d s and idle after %d s of simulated time; database %s%n",
          options.getMaxOutOfOrderness(), options.getIdleAfter(), jdbc.url());

      PipelineResult job =
          StreamingJob.create(
                  options,
                  config,
                  names,
                  clock,
                  Map.of(),
                  StreamingJob.refreshed(jdbc, names, refresh),
                  AuditTable.of(jdbc).withTable(names.auditTable()))
              .run();
      awaitRunning(job, clock.wallAt(replay.firstDueMillis()));
      Map<String, String> routeOfTopic = new LinkedHashMap<>();
      config.routes().forEach(r -> routeOfTopic.put(r.topic(), r.name()));
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      Map<String, List<Long>> latenciesByDay = Collections.synchronizedMap(new java.util.TreeMap<>());
      List<String> topicsRead = new ArrayList<>(routeOfTopic.keySet());
      topicsRead.add(names.deadLetterTopic());
      ScheduledExecutorService dayEnds = Executors.newSingleThreadScheduledExecutor();
      dayEnds.scheduleAtFixedRate(() -> checkpoints.atDayEnds(clock, config.zone()), 0, 100, TimeUnit.MILLISECONDS);
      try (AlertFeed feed =
          new AlertFeed(
              kafka.bootstrapServers(),
              topicsRead,
              Map.of(),
              (topic, r) -> {
                if (routeOfTopic.containsKey(topic)) {
                  long occur = occurMillis(r.value, config);
                  long latency = r.timestampMillis - clock.wallAt(occur);
                  latencies.add(latency);
                  latenciesByDay
                      .computeIfAbsent(fields(r.value).get("occur_date"), d -> Collections.synchronizedList(new ArrayList<>()))
                      .add(latency);
                  out.println(describe(r.value, latency));
                }
              })) {
        long sent = replay.send(kafka.bootstrapServers(), names.inputTopic(), Map.of(), clock);
        long lastAlert = expected.alerts.stream().mapToLong(Alert::occurMillis).max().orElse(0);
        long lastDeadline = Math.max(replay.lastDueMillis(), lastAlert) + boundMillis;
        if (options.getReplayDays() > 1) {
          // Run past the midnight after the last day, so that every day has its state figure.
          lastDeadline =
              Math.max(
                  lastDeadline,
                  DAY.plusDays(options.getReplayDays()).atStartOfDay(config.zone()).toInstant().toEpochMilli()
                      + 1000);
        }
        long giveUpAt = clock.wallAt(lastDeadline) + 60_000;
        while (System.currentTimeMillis() < giveUpAt
            && (countAlerts(feed, routeOfTopic) < expected.alerts.size()
                || feed.count(names.deadLetterTopic()) < expected.deadLetters.size()
                || auditRows(jdbc, names).size() < expected.alerts.size())) {
          Thread.sleep(500);
        }
        Thread.sleep(Math.max(0, clock.wallAt(lastDeadline) - System.currentTimeMillis()) + 1000);
        dayEnds.shutdownNow();
        job.cancel();
        checkpoints.print(out);
        if (latenciesByDay.size() > 1) {
          // Day by day: the first day includes the job's start-up, the others are steady state.
          latenciesByDay.forEach((day, list) -> printLatency(day, list, speed));
        }
        return summary(sent, expected, feed, routeOfTopic, names, auditRows(jdbc, names), latencies, speed);
      } finally {
        dayEnds.shutdownNow();
      }
    }
  }

  private int summary(
      long sent,
      ReferenceModel.Result expected,
      AlertFeed feed,
      Map<String, String> routeOfTopic,
      IoNames names,
      List<String> audit,
      List<Long> latencies,
      double speed) {
    String deadLetterTopic = names.deadLetterTopic();
    List<String> got = new ArrayList<>();
    out.println();
    out.println("StallWatch run (embedded default) finished");
    out.printf("  %-32s %d%n", "events sent", sent);
    for (Map.Entry<String, String> e : routeOfTopic.entrySet()) {
      List<AlertFeed.Received> alerts = feed.received(e.getKey());
      alerts.forEach(r -> got.add(r.value));
      long modelCount = expected.alerts.stream().filter(a -> a.route().equals(e.getValue())).count();
      out.printf("  %-32s %d (model %d)%n", "alerts " + e.getValue() + " → " + e.getKey(), alerts.size(), modelCount);
    }
    out.printf(
        "  %-32s %d (model %d)%n", "dead letters → " + deadLetterTopic, feed.count(deadLetterTopic), expected.deadLetters.size());
    out.printf("  %-32s %d (alerts %d)%n", "audit rows → " + names.auditTable(), audit.size(), got.size());
    printLatency("", latencies, speed);
    List<String> want = new ArrayList<>();
    expected.alerts.forEach(a -> want.add(a.toJson()));
    Collections.sort(want);
    Collections.sort(got);
    List<String> wantAudit = new ArrayList<>();
    expected.alerts.forEach(
        a -> wantAudit.add(String.join("|", a.eventId(), a.mobile(), a.occurDate(), a.occurTime(), a.route())));
    Collections.sort(wantAudit);
    List<String> gotAudit = new ArrayList<>(audit);
    Collections.sort(gotAudit);
    if (!wantAudit.equals(gotAudit)) {
      err.printf(
          "stallwatch run: the audit table differs from the reference model's alerts: %d rows, %d alerts%n",
          gotAudit.size(), wantAudit.size());
      return StallWatch.FAILED;
    }
    if (!want.equals(got) || feed.count(deadLetterTopic) != expected.deadLetters.size()) {
      TreeSet<String> missing = new TreeSet<>(want);
      got.forEach(missing::remove);
      TreeSet<String> extra = new TreeSet<>(got);
      want.forEach(extra::remove);
      err.printf(
          "stallwatch run: the job's output differs from the reference model: %d alert(s) missing, %d"
              + " unexpected, dead letters %d vs %d%n",
          missing.size(), extra.size(), feed.count(deadLetterTopic), expected.deadLetters.size());
      missing.stream().limit(3).forEach(m -> err.println("  missing " + brief(m)));
      extra.stream().limit(3).forEach(m -> err.println("  unexpected " + brief(m)));
      return StallWatch.FAILED;
    }
    out.printf("  %-32s %s%n", "check", "alerts, audit rows and dead letters equal the reference model's");
    return StallWatch.OK;
  }

  /** Deadline-to-alert delays of the alerts occurring on {@code day} (all alerts when empty). */
  private void printLatency(String day, List<Long> latencies, double speed) {
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    Collections.sort(sorted);
    if (!sorted.isEmpty()) {
      out.printf(
          "  %-32s p50 %.2f s, p99 %.2f s, max %.2f s (wall clock; the day ran %.0fx)%n",
          day.isEmpty() ? "deadline → alert on topic" : "deadline → alert, " + day,
          percentile(sorted, 0.50) / 1000.0,
          percentile(sorted, 0.99) / 1000.0,
          sorted.get(sorted.size() - 1) / 1000.0,
          speed);
    }
  }

  /** Waits until the job runs, telling how far ahead of the replay's start it came up. */
  private void awaitRunning(PipelineResult job, long replayStartsAt) throws InterruptedException {
    long until = System.currentTimeMillis() + 120_000;
    while (job.getState() != PipelineResult.State.RUNNING && System.currentTimeMillis() < until) {
      if (job.getState().isTerminal()) {
        throw new IllegalStateException("the job stopped before it ran: " + job.getState());
      }
      Thread.sleep(100);
    }
    err.printf(
        "stallwatch run: the job is %s, %.1f s before the replay starts%n",
        job.getState(), (replayStartsAt - System.currentTimeMillis()) / 1000.0);
  }

  /**
   * Creates the tables in the embedded database and fills the dimension tables: the sample
   * blacklist's id_nos split between the blacklist and the existing-customer table (both exclude),
   * its mobiles in the blacklist, and the channel names.
   */
  private static void seedDatabase(JdbcSettings jdbc, IoNames names, Blacklist blacklist, ChannelNames channels)
      throws SQLException {
    TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
    try (Connection c = jdbc.connect()) {
      c.setAutoCommit(false);
      int i = 0;
      try (PreparedStatement black =
              c.prepareStatement("INSERT INTO " + names.blacklistTable() + " (ID_NO, MOBILE_TEL) VALUES (?, ?)");
          PreparedStatement customer =
              c.prepareStatement("INSERT INTO " + names.existingCustomerTable() + " (ID_NO) VALUES (?)");
          PreparedStatement channel =
              c.prepareStatement(
                  "INSERT INTO " + names.channelTable() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES (?, ?)")) {
        for (String id : blacklist.idNos()) {
          if (i++ % 2 == 0) {
            black.setString(1, id);
            black.setString(2, null);
            black.addBatch();
          } else {
            customer.setString(1, id);
            customer.addBatch();
          }
        }
        for (String mobile : blacklist.mobiles()) {
          black.setString(1, null);
          black.setString(2, mobile);
          black.addBatch();
        }
        for (Map.Entry<String, String> e : channels.asMap().entrySet()) {
          channel.setString(1, e.getKey());
          channel.setString(2, e.getValue());
          channel.addBatch();
        }
        black.executeBatch();
        customer.executeBatch();
        channel.executeBatch();
      }
      c.commit();
    }
  }

  /** The audit table's rows as {@code EVENT_ID|MOBILE|EVENT_DATE|EVENT_TIME|ROUTE}. */
  private static List<String> auditRows(JdbcSettings jdbc, IoNames names) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT EVENT_ID, MOBILE, EVENT_DATE, EVENT_TIME, ROUTE FROM " + names.auditTable())) {
      while (r.next()) {
        rows.add(String.join("|", r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)));
      }
    }
    return rows;
  }

  private static int countAlerts(AlertFeed feed, Map<String, String> routeOfTopic) {
    return routeOfTopic.keySet().stream().mapToInt(feed::count).sum();
  }

  private static long percentile(List<Long> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  /**
   * A blacklist for the replay: every 25th distinct id_no and every 40th distinct mobile of the
   * generated journeys, so the call-centre route visibly excludes some stalls.
   */
  static Blacklist sampleBlacklist(KafkaReplay replay) {
    TreeSet<String> ids = new TreeSet<>();
    TreeSet<String> mobiles = new TreeSet<>();
    for (KafkaReplay.Message m : replay.messages()) {
      Map<String, String> row = fields(m.json);
      ids.add(row.getOrDefault("id_no", ""));
      mobiles.add(row.getOrDefault("mobile_tel", ""));
    }
    ids.remove("");
    mobiles.remove("");
    List<String> blackIds = new ArrayList<>();
    List<String> blackMobiles = new ArrayList<>();
    int i = 0;
    for (String id : ids) {
      if (i++ % 25 == 0) {
        blackIds.add(id);
      }
    }
    i = 0;
    for (String mobile : mobiles) {
      if (i++ % 40 == 0) {
        blackMobiles.add(mobile);
      }
    }
    return Blacklist.of(blackIds, blackMobiles);
  }

  /** The fields of a flat JSON object, names lower-cased; an unreadable text gives none. */
  static Map<String, String> fields(String json) {
    Map<String, String> fields = new LinkedHashMap<>();
    try {
      JsonReader r = new JsonReader(json);
      r.beginObject();
      for (String name = r.nextField(); name != null; name = r.nextField()) {
        fields.put(name.toLowerCase(java.util.Locale.ROOT), r.scalarText());
      }
    } catch (RuntimeException e) {
      // a bad row on purpose
    }
    return fields;
  }

  private static long occurMillis(String alertJson, StallConfig config) {
    Map<String, String> f = fields(alertJson);
    String d = f.getOrDefault("occur_date", "");
    if (d.length() != 8) {
      return 0;
    }
    return EventTimes.parse(
        d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6) + " " + f.get("occur_time"), config.zone());
  }

  /** A mobile as people may see it in a log: the first three and last four digits. */
  static String maskMobile(String mobile) {
    return mobile.length() >= 8 ? mobile.substring(0, 3) + "****" + mobile.substring(mobile.length() - 4) : "****";
  }

  /** An alert in one line for a log, its mobile masked: route, mobile, occur time, rule, step, request. */
  static String brief(String alertJson) {
    Map<String, String> f = fields(alertJson);
    return String.format(
        "%s %s %s %s %s step %s request %s",
        f.get("route"),
        maskMobile(f.getOrDefault("mobile", "")),
        f.get("occur_date"),
        f.get("occur_time"),
        f.get("rule"),
        f.get("step_code"),
        f.get("request_no"));
  }

  private static String describe(String alertJson, long latencyMillis) {
    Map<String, String> f = fields(alertJson);
    return String.format(
        "alert %-4s %s  %s %s  %-6s step %-5s %s  (+%.2f s)",
        f.get("route"),
        maskMobile(f.getOrDefault("mobile", "")),
        f.get("occur_date"),
        f.get("occur_time"),
        f.get("rule"),
        f.get("step_code"),
        f.get("step_name"),
        latencyMillis / 1000.0);
  }
}
