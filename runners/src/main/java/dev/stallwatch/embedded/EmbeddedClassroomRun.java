package dev.stallwatch.embedded;

import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.classroom.ClassroomStreamTopics;
import dev.stallwatch.pipeline.classroom.ClassroomStreamingJob;
import dev.stallwatch.pipeline.cli.ClassroomEmbeddedDefault;
import dev.stallwatch.pipeline.cli.LaunchDefault;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import dev.stallwatch.pipeline.kafka.ClassroomReplay;
import dev.stallwatch.pipeline.kafka.EventTimePolicy;
import dev.stallwatch.pipeline.kafka.KafkaSinks;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.ClassroomRunOptions;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The embedded default of {@code stallwatch classroom run}: the classroom jobs (C1 to C7) with
 * everything they need in process. An in-process Kafka broker with the seven input topics, C1's
 * output topic and the dead-letter topic (one partition each); an H2 database with the classroom
 * tables, C2's dictionary and C6's and C7's count tables (C6 writes its table: no search node runs
 * in process); a
 * generated school day replayed onto the topics on a simulated clock; the streaming job on the
 * runner the launch chose (the embedded Flink by default). It prints rows as they land (a few of
 * each, or with {@code --verbose} all) and, once every window has closed, a summary beside the
 * models' ({@link ClassroomExpected}); exit status 0 only when every topic and table holds exactly
 * the models' records.
 */
public final class EmbeddedClassroomRun implements ClassroomEmbeddedDefault {
  static final double SPEED = 400;
  static final int IDLE_SECONDS = 6 * 3600;
  /**
   * How many times faster the clock runs a few wall seconds after the classroom topics' last
   * message: only their idle rule (which closes their last windows) and C2's, C6's and C7's updates
   * are left then (late confirmations, cancellations, channel fixes a day or two after the school
   * day), none of them too late whenever they come, and no timer of theirs falls inside the replay.
   */
  static final double LATER_SPEEDUP = 10;
  /**
   * How long, in wall seconds, the clock keeps its first speed after the classroom topics' last
   * message: a slow moment of the job shorter than this (plus the idle time at the faster speed)
   * cannot make it take that message's partition for idle before it has read the message.
   */
  private static final long SETTLE_MILLIS = 10_000;
  /** How long, in wall seconds, the clock waits for the job to start before the day begins. */
  private static final long STARTUP_MILLIS = 20_000;
  /** Rows of each output printed without {@code --verbose}. */
  private static final int SHOWN = 3;

  private final List<LaunchDefault> runnerDefaults;

  /** The embedded default, with the launch's defaults for its runner ({@code runnerDefaults}) after its own. */
  public EmbeddedClassroomRun(List<LaunchDefault> runnerDefaults) {
    this.runnerDefaults = List.copyOf(runnerDefaults);
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return EmbeddedClassroomOptions.class;
  }

  /**
   * Its clock runs {@value #SPEED}x; a partition counts as idle after six hours of it (54 wall
   * seconds), longer than any silence inside the replayed day (the default day's longest, on
   * {@code qos_log}, is 4.8 hours), so that every record is stamped by the order it was sent in and
   * the idle rule only closes the day's last windows; the topics are
   * written at least once, since a checkpoint interval is minutes of its day.
   */
  @Override
  public List<LaunchDefault> defaults() {
    List<LaunchDefault> all =
        new ArrayList<>(
            List.of(
                LaunchDefault.of(
                    "simulatedSpeed", String.format("%.0f", SPEED), o -> o.as(ClassroomRunOptions.class).setSimulatedSpeed(SPEED)),
                LaunchDefault.of(
                    "idleAfter",
                    "21600 (six hours of its clock: longer than any silence in the replayed day)",
                    o -> o.as(ClassroomRunOptions.class).setIdleAfter(IDLE_SECONDS)),
                LaunchDefault.of(
                    "exactlyOnce",
                    "false (at " + Math.round(SPEED) + "x a checkpoint interval is minutes of its day)",
                    o -> o.as(ClassroomRunOptions.class).setExactlyOnce(false))));
    all.addAll(runnerDefaults);
    return all;
  }

  @Override
  public int run(ClassroomRunOptions options, ClassroomConfig config, PrintStream out, PrintStream err) throws Exception {
    EmbeddedClassroomOptions own = options.as(EmbeddedClassroomOptions.class);
    ZoneId zone = config.signals().zone();
    ClassroomGenerator generator =
        ClassroomGenerator.builder()
            .seed(own.getReplaySeed())
            .students(own.getReplayStudents())
            .days(1)
            .startDate(ClassroomGenerator.DEFAULT_START)
            .zone(zone)
            .accounts(true)
            .build();
    ClassroomStreamTopics topics = ClassroomStreamTopics.defaults();
    Map<String, String> sendTo = new LinkedHashMap<>();
    sendTo.put(ClassroomGenerator.SIGNALS_TOPIC, topics.signals());
    sendTo.put(ClassroomGenerator.QOS_TOPIC, topics.qos());
    sendTo.put(ClassroomGenerator.AV_TOPIC, topics.av());
    sendTo.put(ClassroomGenerator.LEVELS_TOPIC, topics.levels());
    sendTo.put(ClassroomGenerator.STUDENTS_TOPIC, topics.students());
    sendTo.put(ClassroomGenerator.USERS_TOPIC, topics.users());
    sendTo.put(ClassroomGenerator.ORDERS_TOPIC, topics.orders());
    long idleMillis = options.getIdleAfter() * 1000L;
    long[] span = span(generator);
    if (span[2] >= idleMillis) {
      err.printf(
          "stallwatch classroom run: WARNING: a topic is silent for %d s in the replayed day, longer than --idleAfter"
              + " (%d s): its watermark may then follow the clock, and the summary differ from the models'%n",
          span[2] / 1000, options.getIdleAfter());
    }
    ClassroomExpected expected = ClassroomExpected.of(generator, config, sendTo);
    OperationsTables operations = OperationsTables.defaults();
    CountsCheck counts = CountsCheck.of(generator, config, sendTo, operations);

    err.println("stallwatch classroom run: no --bootstrapServers: starting the embedded default");
    try (TemporaryDirectory dbDir = TemporaryDirectory.create("stallwatch-classroom-h2");
        TemporaryDirectory checkpointDir = TemporaryDirectory.create("stallwatch-classroom-checkpoints");
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      org.apache.beam.runners.flink.FlinkPipelineOptions flink =
          options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
      EmbeddedJobs.checkpointTo(flink, checkpointDir.path());
      JdbcSettings jdbc =
          JdbcSettings.builder(EmbeddedDatabase.h2Url(dbDir.path().resolve("classroom")))
              .user("stallwatch")
              .passwordEnv("STALLWATCH_EMBEDDED_H2_PASSWORD")
              .build();
      ClassroomTables tables = ClassroomTables.defaults();
      tables.createMissing(jdbc);
      operations.createMissing(jdbc);
      Map<String, Integer> partitions = new LinkedHashMap<>();
      List<String> all = new ArrayList<>(topics.inputs());
      all.add(topics.signalsOut());
      all.add(topics.deadLetters());
      for (String t : all) {
        partitions.put(t, 1);
      }
      kafka.createTopics(partitions);
      double speed = options.getSimulatedSpeed();
      // Once the classroom topics' last messages are sent and read, only their idle rule is left
      // for the windows (then the watermark follows the clock) and then C2's, C6's and C7's updates:
      // the clock keeps its speed for a few wall seconds after the last such message, then runs faster.
      long faster = span[3] + Math.round(SETTLE_MILLIS * speed);
      SimulatedClock clock =
          SimulatedClock.of(new Instant(span[0] - 60_000), System.currentTimeMillis() + STARTUP_MILLIS, speed);
      if (faster < span[1] + idleMillis) {
        clock = clock.fasterFrom(new Instant(faster), speed * LATER_SPEEDUP);
      }
      err.printf(
          "stallwatch classroom run: Kafka %s; replaying %,d messages of %d students in %d rooms on %s (%s), clock %s%n",
          kafka.bootstrapServers(), expected.messages.values().stream().mapToLong(Long::longValue).sum(),
          generator.students(), generator.rooms(), generator.startDate(), zone, clock);
      err.printf(
          "stallwatch classroom run: watermark bounds %d s (C1/C3), %d s (C4), %d s (C5), idle after %d s of simulated"
              + " time; database %s%n",
          options.getSignalWatermarkBound(), options.getCourseWatermarkBound(), options.getAvWatermarkBound(),
          options.getIdleAfter(), jdbc.shownUrl());

      options.setBootstrapServers(kafka.bootstrapServers());
      EventTimePolicy.Bounds bounds =
          new EventTimePolicy.Bounds(
              Duration.ZERO, Duration.standardSeconds(options.getIdleAfter()), Duration.ZERO,
              Duration.standardSeconds(options.getMaxFutureSkew()));
      ClassroomStreamingJob.Io io = new ClassroomStreamingJob.Io(kafka.bootstrapServers(), topics, Map.of(), clock, bounds);
      PipelineResult result =
          ClassroomStreamingJob.create(
                  options, config, io, KafkaSinks.Delivery.atLeastOnce(),
                  new ClassroomStreamingJob.Tables(jdbc, tables, operations, null))
              .run();
      EmbeddedJobs.awaitRunning(result, clock.wallAt(span[0]), err, "stallwatch classroom run");

      Expected want = Expected.of(expected, counts, tables);
      Map<String, Integer> printed = new HashMap<>();
      Function<String, Boolean> show = name -> own.getVerbose() || printed.merge(name, 1, Integer::sum) <= SHOWN;
      ScheduledExecutorService background = Executors.newScheduledThreadPool(1);
      Landed landed = new Landed();
      try (AlertFeed feed =
          new AlertFeed(
              kafka.bootstrapServers(),
              List.of(topics.signalsOut(), topics.deadLetters()),
              Map.of(),
              (topic, r) -> {
                if (show.apply(topic)) {
                  out.println("  " + topic + " <- " + (r.key == null ? "" : r.key + " ") + r.value);
                }
              })) {
        background.scheduleAtFixedRate(
            () -> {
              try {
                landed.poll(jdbc, want, zone, show, out);
                counts.poll(jdbc, out, own.getVerbose(), SHOWN);
                out.printf(
                    "stallwatch classroom run: %s %d of %d, %s %d of %d, tables %d/%d, %d/%d, %d/%d rows so far%n",
                    topics.signalsOut(), feed.count(topics.signalsOut()), want.signals.size(),
                    topics.deadLetters(), feed.count(topics.deadLetters()), want.deadLetters.size(),
                    landed.size(0), want.tables.get(0).size(), landed.size(1), want.tables.get(1).size(),
                    landed.size(2), want.tables.get(2).size());
              } catch (Exception e) {
                err.println("stallwatch classroom run: cannot read the tables: " + e.getMessage());
              }
            },
            5, 5, TimeUnit.SECONDS);
        Map<String, Long> sent = ClassroomReplay.send(generator, kafka.bootstrapServers(), sendTo, Map.of(), clock);
        err.printf("stallwatch classroom run: sent %s%n", sent);
        // The last windows close once the partitions have been idle: then the watermark follows the clock.
        long lastDeadline = span[1] + idleMillis + 60_000 + 5_000;
        long giveUpAt = clock.wallAt(lastDeadline) + 90_000;
        while (System.currentTimeMillis() < giveUpAt && !(complete(feed, topics, landed, want) && counts.complete())) {
          Thread.sleep(1000);
          synchronized (landed) {
            landed.poll(jdbc, want, zone, n -> false, out);
          }
          counts.poll(jdbc, out, own.getVerbose(), 0);
        }
        Thread.sleep(2000); // anything more that would come: it must not
        background.shutdownNow();
        background.awaitTermination(10, TimeUnit.SECONDS);
        landed.poll(jdbc, want, zone, n -> false, out);
        counts.poll(jdbc, out, own.getVerbose(), 0);
        result.cancel();
        boolean equal = summary(feed, topics, landed, want, expected, counts, out);
        counts.printRegistrations(out);
        return equal ? 0 : 1;
      } finally {
        background.shutdownNow();
      }
    }
  }

  /**
   * First and last due time, the longest silence of a windowed job's topic, and the last due time
   * on such a topic (ms).
   */
  private static long[] span(ClassroomGenerator generator) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long gap = 0;
    long lastWindowed = Long.MIN_VALUE;
    Map<String, Long> previous = new HashMap<>();
    for (ClassroomGenerator.Generated g : generator) {
      first = Math.min(first, g.dueMillis());
      last = Math.max(last, g.dueMillis());
      Long p = previous.put(g.topic(), g.dueMillis());
      // the windowed jobs' topics; C2's, C6's and C7's are stamped too, but no window waits on them
      if (ClassroomGenerator.TOPICS.contains(g.topic())) {
        lastWindowed = Math.max(lastWindowed, g.dueMillis());
        if (p != null) {
          gap = Math.max(gap, g.dueMillis() - p);
        }
      }
    }
    return new long[] {first, last, gap, lastWindowed};
  }

  /** What each output must hold, in the texts it is compared in. */
  private record Expected(List<String> signals, List<String> deadLetters, List<Set<String>> tables, List<String> names, List<Schema> schemas) {
    static Expected of(ClassroomExpected e, CountsCheck counts, ClassroomTables tables) {
      List<String> signals = new ArrayList<>();
      for (Signal s : e.signals.signals) {
        signals.add(record(s.key() == null ? "" : s.key(), s.toJson()));
      }
      List<String> dead = new ArrayList<>();
      for (List<BadRecord> list : List.of(e.signals.deadLetters, e.courses.deadLetters, e.av.deadLetters, counts.deadLetters)) {
        list.forEach(b -> dead.add(b.toJson()));
      }
      Set<String> c3 = new HashSet<>();
      e.signals.rows.forEach(r -> c3.add(ClassroomTableRows.of(ClassroomStreamingJob.signalRow(r))));
      Set<String> c4 = new HashSet<>();
      e.courses.rows.forEach(r -> c4.add(ClassroomTableRows.of(ClassroomStreamingJob.takeTimeRow(r))));
      Set<String> c5 = new HashSet<>();
      e.av.rows.forEach(r -> c5.add(ClassroomTableRows.of(ClassroomStreamingJob.avRow(r))));
      signals.sort(null);
      dead.sort(null);
      return new Expected(
          signals, dead, List.of(c3, c4, c5),
          List.of(tables.signalAnalysis(), tables.takeTime(), tables.avRecord()),
          List.of(ClassroomTables.SIGNAL_ANALYSIS, ClassroomTables.TAKE_TIME, ClassroomTables.AV_RECORD));
    }
  }

  private static String record(String key, String value) {
    return key + " " + value;
  }

  /** The tables' rows as last read, printing the first few of each (or all) as they appear. */
  private static final class Landed {
    private final List<Set<String>> rows = new ArrayList<>(List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()));

    synchronized void poll(JdbcSettings jdbc, Expected want, ZoneId zone, Function<String, Boolean> show, PrintStream out)
        throws java.sql.SQLException {
      for (int i = 0; i < 3; i++) {
        Set<String> now = new HashSet<>(ClassroomTableRows.read(jdbc, want.names.get(i), want.schemas.get(i), zone));
        for (String r : now) {
          if (!rows.get(i).contains(r) && show.apply(want.names.get(i))) {
            out.println("  " + want.names.get(i) + " <- " + r);
          }
        }
        rows.set(i, now);
      }
    }

    synchronized int size(int table) {
      return rows.get(table).size();
    }

    synchronized Set<String> rows(int table) {
      return new HashSet<>(rows.get(table));
    }
  }

  private static boolean complete(AlertFeed feed, ClassroomStreamTopics topics, Landed landed, Expected want) {
    if (feed.count(topics.signalsOut()) < want.signals.size() || feed.count(topics.deadLetters()) < want.deadLetters.size()) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      if (!landed.rows(i).equals(want.tables.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Prints each output beside the models' and answers whether all are equal. */
  private static boolean summary(
      AlertFeed feed,
      ClassroomStreamTopics topics,
      Landed landed,
      Expected want,
      ClassroomExpected expected,
      CountsCheck counts,
      PrintStream out) {
    List<String> signals = new ArrayList<>();
    feed.received(topics.signalsOut()).forEach(r -> signals.add(record(r.key == null ? "" : r.key, r.value)));
    signals.sort(null);
    List<String> dead = new ArrayList<>();
    feed.received(topics.deadLetters()).forEach(r -> dead.add(r.value));
    dead.sort(null);
    out.println();
    out.println("StallWatch classroom run: the job's outputs beside the models'");
    out.printf("  %-44s %10s %10s  %s%n", "output", "models", "job", "");
    boolean ok = line(out, topics.signalsOut() + " (C1, key and value)", want.signals, signals);
    ok &= line(out, topics.deadLetters() + " (every job)", want.deadLetters, dead);
    String[] jobs = {" (C3)", " (C4)", " (C5)"};
    for (int i = 0; i < 3; i++) {
      ok &= line(out, want.names.get(i) + jobs[i], new ArrayList<>(want.tables.get(i)), new ArrayList<>(landed.rows(i)));
    }
    ok &= counts.summary(out);
    out.printf(
        "  %-44s %10s%n", "late dead letters (C1+C3, C4, C5)",
        expected.signals.late + ", " + expected.courses.late + ", " + expected.av.late);
    out.printf("  %-44s %10s%n", "ignored messages (C1, C4, C5)",
        expected.signals.ignored + ", " + expected.courses.ignored + ", " + expected.av.ignored);
    out.println(ok ? "  every topic and table equals the models" : "  DIFFERENT from the models (see above)");
    return ok;
  }

  private static boolean line(PrintStream out, String name, List<String> want, List<String> got) {
    List<String> a = new ArrayList<>(want);
    List<String> b = new ArrayList<>(got);
    a.sort(null);
    b.sort(null);
    boolean equal = a.equals(b);
    String note = "equal";
    if (!equal) {
      Set<String> wantSet = new HashSet<>(a);
      Set<String> gotSet = new HashSet<>(b);
      long missing = a.stream().filter(x -> !gotSet.contains(x)).count();
      long extra = b.stream().filter(x -> !wantSet.contains(x)).count();
      note = "DIFFERENT: " + missing + " missing, " + extra + " not in the models"
          + (missing == 0 && extra == 0 ? " (the same records, other multiplicities)" : "");
    }
    out.printf("  %-44s %10d %10d  %s%n", name, want.size(), got.size(), note);
    return equal;
  }


}
