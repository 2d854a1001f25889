package dev.stallwatch.embedded;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.cli.EmbeddedDefault;
import dev.stallwatch.pipeline.cli.LaunchDefault;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.files.DimensionFiles;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.kafka.KafkaReplay;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.stall.StreamingJob;
import dev.stallwatch.reference.ReferenceModel;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The embedded default of {@code stallwatch run}: everything the streaming job needs, in process.
 * An in-process Kafka broker, an H2 database, the generator replaying a simulated trading day at
 * high speed onto the change-stream topic, and the job on the runner the launch chose (the
 * embedded Flink by default). It prints progress (and with {@code --verbose} each alert) and, once
 * the last deadlines have passed, a summary held against the reference model; exit status 0 when
 * the job's outputs are exactly the model's.
 */
public final class EmbeddedStallRun implements EmbeddedDefault {
  static final LocalDate DAY = LocalDate.of(2024, 3, 20);
  static final double SPEED = 1500;
  /** How long, in wall seconds, the clock waits for the job to start before the day begins. */
  private static final long STARTUP_MILLIS = 15_000;

  private final List<LaunchDefault> runnerDefaults;

  /** The embedded default, with the launch's defaults for its runner ({@code runnerDefaults}) after its own. */
  public EmbeddedStallRun(List<LaunchDefault> runnerDefaults) {
    this.runnerDefaults = List.copyOf(runnerDefaults);
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return EmbeddedOptions.class;
  }

  /**
   * Its clock runs {@value #SPEED}x, and its watermark bound and idle time are 2 and 1 seconds of
   * wall time, so the job sees the disorder it would see at 1x; its topics are written at least
   * once, since a checkpoint interval is hours of its day.
   */
  @Override
  public List<LaunchDefault> defaults() {
    List<LaunchDefault> all = new ArrayList<>(List.of(
        LaunchDefault.of("simulatedSpeed", String.format("%.0f", SPEED), o -> o.as(RunOptions.class).setSimulatedSpeed(SPEED)),
        LaunchDefault.of(
            "maxOutOfOrderness",
            "2 wall seconds of its clock (" + Math.round(2 * SPEED) + " at " + Math.round(SPEED) + "x)",
            o -> o.as(RunOptions.class).setMaxOutOfOrderness((int) Math.max(1, Math.round(2 * speed(o))))),
        LaunchDefault.of(
            "idleAfter",
            "1 wall second of its clock (" + Math.round(SPEED) + " at " + Math.round(SPEED) + "x)",
            o -> o.as(RunOptions.class).setIdleAfter((int) Math.max(1, Math.round(speed(o))))),
        LaunchDefault.of(
            "exactlyOnce",
            "false (at 1500x a checkpoint interval is hours of its day)",
            o -> o.as(RunOptions.class).setExactlyOnce(false))));
    all.addAll(runnerDefaults);
    return all;
  }

  private static double speed(PipelineOptions o) {
    return o.as(RunOptions.class).getSimulatedSpeed();
  }

  @Override
  public int run(RunOptions options, JobConfig job, PrintStream out, PrintStream err) throws Exception {
    // it writes an audit table: refuse, before anything starts, a config that would lose its rows
    AuditTable.checkOneRowPerAlert(job.stall(), job.names().auditTable());
    EmbeddedOptions own = options.as(EmbeddedOptions.class);
    double speed = options.getSimulatedSpeed();
    long boundMillis = options.getMaxOutOfOrderness() * 1000L;
    IoNames names = job.names();
    ChannelNames channels = options.getChannels() == null ? SampleData.channels() : DimensionFiles.channels(options);
    JourneyGenerator generator =
        JourneyGenerator.builder()
            .seed(own.getReplaySeed())
            .applicants(own.getReplayApplicants())
            .firstDay(DAY)
            .days(Math.max(1, own.getReplayDays()))
            .zone(job.stall().zone())
            .badRowRate(0.01)
            .build();
    KafkaReplay replay = KafkaReplay.of(generator, own.getReplaySeed(), job.stall().zone(), boundMillis / 3);
    Blacklist blacklist = SampleData.blacklist(replay);
    ReferenceModel.Result expected =
        ReferenceModel.of(job.stall()).withBlacklist(blacklist).withChannels(channels).run(replay.rows());
    ModelCheck check = new ModelCheck(expected, out, err);

    err.println("stallwatch run: no --bootstrapServers: starting the embedded default");
    // A job started afresh needs exactly-once sink groups of its own (TransactionalTopic refuses a
    // group an earlier job wrote).
    options.setSinkGroupId("stallwatch-embedded-" + java.util.UUID.randomUUID());
    try (TemporaryDirectory dbDir = TemporaryDirectory.create("stallwatch-h2");
        TemporaryDirectory checkpointDir = TemporaryDirectory.create("stallwatch-checkpoints");
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      // in a directory of ours unless told otherwise, so the summary can tell how big the state is
      EmbeddedJobs.checkpointTo(flink, checkpointDir.path());
      CheckpointSizes checkpoints = new CheckpointSizes(flink.getStateBackendStoragePath());
      EmbeddedDatabase db = EmbeddedDatabase.create(dbDir.path(), names, blacklist, channels);
      Map<String, Integer> topics = new LinkedHashMap<>();
      topics.put(names.inputTopic(), 2);
      topics.put(names.deadLetterTopic(), 1);
      job.stall().routes().forEach(r -> topics.put(r.topic(), 1));
      kafka.createTopics(topics);
      SimulatedClock clock =
          SimulatedClock.of(new Instant(replay.firstDueMillis() - 60_000), System.currentTimeMillis() + STARTUP_MILLIS, speed);
      err.printf(
          "stallwatch run: Kafka %s; replaying %d rows of %d applicants on %s (%s), clock %s%n",
          kafka.bootstrapServers(), replay.messages().size(), own.getReplayApplicants(), DAY, job.stall().zoneId(), clock);
      err.printf(
          "stallwatch run: watermark bound %d s and idle after %d s of simulated time; database %s%n",
          options.getMaxOutOfOrderness(), options.getIdleAfter(), db.settings().shownUrl());

      options.setBootstrapServers(kafka.bootstrapServers());
      StreamingJob.Io io = new StreamingJob.Io(kafka.bootstrapServers(), names, Map.of(), clock);
      PipelineResult result =
          StreamingJob.create(
                  options,
                  job,
                  io,
                  StreamingJob.refreshed(
                      db.settings(),
                      names,
                      Duration.standardSeconds(options.getSideInputRefresh()),
                      options.getDimensionMaxShrink()),
                  AuditTable.of(db.settings()).withTable(names.auditTable()))
              .run();
      EmbeddedJobs.awaitRunning(result, clock.wallAt(replay.firstDueMillis()), err, "stallwatch run");
      Map<String, String> routeOfTopic = new LinkedHashMap<>();
      job.stall().routes().forEach(r -> routeOfTopic.put(r.topic(), r.name()));
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      Map<String, List<Long>> latenciesByDay = Collections.synchronizedMap(new TreeMap<>());
      List<String> topicsRead = new ArrayList<>(routeOfTopic.keySet());
      topicsRead.add(names.deadLetterTopic());
      ScheduledExecutorService background = Executors.newScheduledThreadPool(1);
      background.scheduleAtFixedRate(() -> checkpoints.atDayEnds(clock, job.stall().zone()), 0, 100, TimeUnit.MILLISECONDS);
      try (AlertFeed feed =
          new AlertFeed(
              kafka.bootstrapServers(),
              topicsRead,
              Map.of(),
              (topic, r) -> {
                if (routeOfTopic.containsKey(topic)) {
                  long latency = r.timestampMillis - clock.wallAt(AlertLines.occurMillis(r.value, job.stall().zone()));
                  latencies.add(latency);
                  latenciesByDay
                      .computeIfAbsent(AlertLines.occurDate(r.value), d -> Collections.synchronizedList(new ArrayList<>()))
                      .add(latency);
                  if (own.getVerbose()) {
                    out.println(AlertLines.describe(r.value, latency));
                  }
                }
              })) {
        background.scheduleAtFixedRate(
            () ->
                out.printf(
                    "stallwatch run: %d of %d alerts, %d of %d dead letters so far%n",
                    countAlerts(feed, routeOfTopic), expected.alerts.size(),
                    feed.count(names.deadLetterTopic()), expected.deadLetters.size()),
            5, 5, TimeUnit.SECONDS);
        long sent = replay.send(kafka.bootstrapServers(), names.inputTopic(), Map.of(), clock);
        long lastAlert = expected.alerts.stream().mapToLong(Alert::occurMillis).max().orElse(0);
        long lastDeadline = Math.max(replay.lastDueMillis(), lastAlert) + boundMillis;
        if (own.getReplayDays() > 1) {
          // Run past the midnight after the last day, so that every day has its state figure.
          lastDeadline =
              Math.max(
                  lastDeadline,
                  DAY.plusDays(own.getReplayDays()).atStartOfDay(job.stall().zone()).toInstant().toEpochMilli() + 1000);
        }
        long giveUpAt = clock.wallAt(lastDeadline) + 60_000;
        while (System.currentTimeMillis() < giveUpAt
            && (countAlerts(feed, routeOfTopic) < expected.alerts.size()
                || feed.count(names.deadLetterTopic()) < expected.deadLetters.size()
                || db.auditRows().size() < expected.alerts.size())) {
          Thread.sleep(500);
        }
        Thread.sleep(Math.max(0, clock.wallAt(lastDeadline) - System.currentTimeMillis()) + 1000);
        background.shutdownNow();
        result.cancel();
        checkpoints.print(out);
        if (latenciesByDay.size() > 1) {
          // Day by day: the first day includes the job's start-up, the others are steady state.
          latenciesByDay.forEach((day, list) -> check.printLatency(day, list, speed));
        }
        List<String> audit = db.auditRows();
        List<String> got = check.printCounts(sent, feed, routeOfTopic, names.deadLetterTopic(), names.auditTable(), audit);
        check.printLatency("", latencies, speed);
        return check.matches(got, feed.count(names.deadLetterTopic()), audit) ? 0 : 1;
      } finally {
        background.shutdownNow();
      }
    }
  }



  private static int countAlerts(AlertFeed feed, Map<String, String> routeOfTopic) {
    return routeOfTopic.keySet().stream().mapToInt(feed::count).sum();
  }
}
