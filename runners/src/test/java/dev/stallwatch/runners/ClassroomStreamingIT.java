package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.SignalModel;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.embedded.EmbeddedKafka;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.classroom.ClassroomGraph;
import dev.stallwatch.pipeline.classroom.ClassroomStreamTopics;
import dev.stallwatch.pipeline.classroom.ClassroomStreamingJob;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.MariaDbServer;
import dev.stallwatch.pipeline.jdbc.PostgresServer;
import dev.stallwatch.pipeline.kafka.EventTimePolicy;
import dev.stallwatch.pipeline.kafka.KafkaSinks;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.ClassroomRunOptions;
import dev.stallwatch.testing.AlertJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ClassroomStreamingJob} on the embedded Flink runner (streaming, checkpoints, C1 exactly
 * once) against a real Kafka broker, a real MariaDB and a real PostgreSQL. A feed written here —
 * signals of every rule over six minutes across midnight, on minute edges, duplicated, out of order
 * within the bound and too late for their window, qos visits with successes (duplicated, tied,
 * unmatched), agora records with -1 markers and missing key fields, and bad messages of every kind
 * — is produced before the job starts. The test simulates the sources' watermarks itself (per
 * partition: the latest time read minus the topic's bound, a record too late by the topic's rule
 * stamped with it), gives the reference models those stamps and expects: C1's topic holds exactly
 * the model's signals under their input keys, the dead-letter topic the source's and the models'
 * dead letters (origin, reason, raw), and C3's, C4's and C5's tables in both databases exactly the
 * models' rows. The job writes MariaDB through {@link ClassroomStreamingJob#writeOutputs} and
 * PostgreSQL through the same {@link ClassroomStreamingJob#writeTables} piece, so one run serves
 * both. A second job then replays the topics from the beginning (fresh consumer group, no
 * checkpoint, new sink group): once its panes reach the models' rows again, every table still holds
 * exactly the same rows.
 */
class ClassroomStreamingIT {
  private static final ZoneId ZONE = ZoneId.of(SignalsConfig.DEFAULT_ZONE);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZONE);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);
  private static final long MIDNIGHT = LocalDateTime.of(2024, 3, 21, 0, 0).atZone(ZONE).toInstant().toEpochMilli();
  /** The job's clock: an hour after the feed, so nothing of it is in the future but the 2090 record. */
  private static final long CLOCK_START = MIDNIGHT + 3_600_000L;
  private static final Duration IDLE_AFTER = Duration.standardSeconds(8);
  private static final Duration FUTURE_SKEW = Duration.standardSeconds(300);
  private static final long FAR_FUTURE = LocalDateTime.of(2090, 1, 1, 8, 0).atZone(ZONE).toInstant().toEpochMilli();

  private static EmbeddedKafka kafka;
  private static MariaDbServer mariadb;
  private static PostgresServer postgres;

  /** What the observer steps saw, by run: the row JSON with the greatest count per upsert key. */
  static final Map<String, Map<String, String[]>> OBSERVED = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    mariadb = MariaDbServer.start();
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kafka != null) {
        kafka.close();
      }
      if (mariadb != null) {
        mariadb.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /** One message of the feed: partition, key, value (null: a tombstone) and the time a source reads, if any. */
  record Fed(int partition, String key, byte[] value, Long readTime) {
    String text() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
  }

  @Test
  void theJobWritesTheModelsOutputsToKafkaMariaDbAndPostgresAndAReplayChangesNoRow() throws Exception {
    long began = System.nanoTime();
    ClassroomStreamTopics topics =
        new ClassroomStreamTopics("it_timeline_client_topic", "it_qos_log", "it_agora_record", "it_timeline_analysis_student", "it_classroom_dead_letter");
    Map<String, Integer> partitions = new LinkedHashMap<>();
    partitions.put(topics.signals(), 2);
    partitions.put(topics.qos(), 1);
    partitions.put(topics.av(), 1);
    partitions.put(topics.signalsOut(), 2);
    partitions.put(topics.deadLetters(), 1);
    for (String t : topics.inputs()) {
      partitions.putIfAbsent(t, 1); // C2's, C6's and C7's inputs: read, left empty here
    }
    kafka.createTopics(partitions);

    ClassroomConfig config = ClassroomConfig.defaults();
    Map<String, List<Fed>> feed = new LinkedHashMap<>();
    feed.put(topics.signals(), signalFeed());
    feed.put(topics.qos(), qosFeed());
    feed.put(topics.av(), avFeed());
    produce(feed);

    // --- what the job must give, computed here from the feed and the models
    List<BadRecord> sourceDead = new ArrayList<>();
    Map<String, List<TimestampedValue<Message>>> stamped = new LinkedHashMap<>();
    stamped.put(topics.signals(), stamp(topics.signals(), feed.get(topics.signals()), config.signals().watermarkBound().getMillis(),
        (t, w) -> windowLast(t, 60_000) + config.signals().allowedLateness().getMillis() < w, sourceDead));
    stamped.put(topics.qos(), stamp(topics.qos(), feed.get(topics.qos()), config.quality().courseWatermarkBound().getMillis(),
        (t, w) -> t < w, sourceDead));
    stamped.put(topics.av(), stamp(topics.av(), feed.get(topics.av()), config.quality().avWatermarkBound().getMillis(),
        (t, w) -> windowLast(t, 30_000) + config.quality().avLateness().getMillis() < w, sourceDead));
    List<SignalModel.Arrival> arrivals = new ArrayList<>();
    stamped.get(topics.signals()).forEach(m -> arrivals.add(new SignalModel.Arrival(m.getValue(), m.getTimestamp().getMillis())));
    SignalModel.Result signals = SignalModel.of(config.signals()).run(arrivals);
    CourseModel.Result courses = CourseModel.of(config.quality()).run(stamped.get(topics.qos()));
    AvModel.Result av = AvModel.of(config.quality()).run(stamped.get(topics.av()));

    TreeMap<String, Integer> expectedSignals = new TreeMap<>();
    signals.signals.forEach(s -> expectedSignals.merge((s.key() == null ? "" : s.key()) + "\t" + s.toJson(), 1, Integer::sum));
    TreeMap<String, String> expectedDead = new TreeMap<>();
    List<BadRecord> allDead = new ArrayList<>(sourceDead);
    allDead.addAll(signals.deadLetters);
    allDead.addAll(courses.deadLetters);
    allDead.addAll(av.deadLetters);
    allDead.forEach(b -> expectedDead.put(b.origin(), shownReason(b.reason()) + "\t" + b.raw()));
    assertEquals(allDead.size(), expectedDead.size(), "one dead letter per origin");
    TreeSet<String> c3 = new TreeSet<>();
    signals.rows.forEach(r -> c3.add(c3Text(r)));
    TreeSet<String> c4 = new TreeSet<>();
    courses.rows.forEach(r -> c4.add(c4Text(r)));
    TreeSet<String> c5 = new TreeSet<>();
    av.rows.forEach(r -> c5.add(c5Text(r)));
    long late = signals.late + courses.late + av.late;
    assertTrue(signals.late > 0 && courses.late > 0 && av.late > 0, "the feed has late records of every topic");
    assertTrue(courses.unmatched > 0, "a success tied with its visit's start");
    System.out.printf(
        "ClassroomStreamingIT: fed %d/%d/%d messages; expect %d C1 signals, %d dead letters (%d late, %d at the source), rows C3 %d, C4 %d, C5 %d%n",
        feed.get(topics.signals()).size(), feed.get(topics.qos()).size(), feed.get(topics.av()).size(),
        signals.signals.size(), expectedDead.size(), late, sourceDead.size(), c3.size(), c4.size(), c5.size());

    ClassroomTables tables = ClassroomTables.defaults();
    JdbcSettings maria = mariadb.settings();
    JdbcSettings pg = postgres.settings();
    assertEquals(List.of(tables.signalAnalysis(), tables.takeTime(), tables.avRecord()), tables.createMissing(maria));
    assertEquals(List.of(tables.signalAnalysis(), tables.takeTime(), tables.avRecord()), tables.createMissing(pg));

    // --- the job
    String groups = "it-classroom-" + Long.toHexString(System.nanoTime());
    PipelineResult job = startJob("first", config, topics, groups, tables, maria, pg);
    try {
      await("the first job's outputs", 150, job, () -> {
        List<String> missing = new ArrayList<>();
        missing.addAll(tableDifferences(maria, tables, c3, c4, c5));
        missing.addAll(tableDifferences(pg, tables, c3, c4, c5));
        int c1 = records(topics.signalsOut()).size();
        if (c1 < signals.signals.size()) {
          missing.add("C1's topic holds " + c1 + " of " + signals.signals.size() + " records");
        }
        int dead = records(topics.deadLetters()).size();
        if (dead < expectedDead.size()) {
          missing.add("the dead-letter topic holds " + dead + " of " + expectedDead.size() + " records");
        }
        return missing;
      });
      Thread.sleep(2_000); // anything more it wrote by mistake would come now
    } finally {
      cancel(job);
    }
    System.out.printf("ClassroomStreamingIT: first job complete after %.1f s%n", (System.nanoTime() - began) / 1e9);
    assertEquals(expectedSignals, counted(records(topics.signalsOut())), "C1's topic: the model's signals under their input keys");
    assertEquals(expectedDead, deadLetters(records(topics.deadLetters())), "the dead-letter topic");
    for (JdbcSettings db : List.of(maria, pg)) {
      assertEquals(c3, c3Rows(db, tables), "C3 at " + db);
      assertEquals(c4, c4Rows(db, tables), "C4 at " + db);
      assertEquals(c5, c5Rows(db, tables), "C5 at " + db);
    }

    // --- the replay: from the beginning, no checkpoint, a fresh consumer group and sink group
    PipelineResult replay = startJob("replay", config, topics, groups + "-replay", tables, maria, pg);
    try {
      await("the replay's final panes", 150, replay, () -> difference("the replay's panes", observedFinal("replay"), union(c3, c4, c5)));
      await("the replay's C1 records and dead letters", 60, replay, () -> {
        int c1 = records(topics.signalsOut()).size();
        int dead = records(topics.deadLetters()).size();
        return c1 >= 2 * signals.signals.size() && dead >= 2 * expectedDead.size()
            ? List.of()
            : List.of("C1's topic holds " + c1 + " of " + 2 * signals.signals.size() + " records, the dead-letter topic "
                + dead + " of " + 2 * expectedDead.size());
      });
      Thread.sleep(2_000);
    } finally {
      cancel(replay);
    }
    for (JdbcSettings db : List.of(maria, pg)) {
      assertEquals(c3, c3Rows(db, tables), "a replay changes no C3 row at " + db);
      assertEquals(c4, c4Rows(db, tables), "a replay changes no C4 row at " + db);
      assertEquals(c5, c5Rows(db, tables), "a replay changes no C5 row at " + db);
    }
    TreeMap<String, Integer> twice = new TreeMap<>();
    expectedSignals.forEach((k, n) -> twice.put(k, 2 * n));
    assertEquals(twice, counted(records(topics.signalsOut())), "the replay wrote C1's records again, under a new sink group");
    System.out.printf("ClassroomStreamingIT: done in %.1f s%n", (System.nanoTime() - began) / 1e9);
  }

  // ---------------------------------------------------------------- the job

  private static PipelineResult startJob(
      String run, ClassroomConfig config, ClassroomStreamTopics topics, String sinkGroups, ClassroomTables tables,
      JdbcSettings maria, JdbcSettings pg) {
    String[] args = {
      "--runner=FlinkRunner",
      "--streaming=true",
      "--attachedMode=false",
      "--parallelism=2",
      "--checkpointingInterval=2000",
      // a failure fails the job instead of restarting it, so await names it at once
      "--numberOfExecutionRetries=0",
      TestCheckpoints.backend(),
      TestCheckpoints.storage(),
      "--maxBundleTimeMills=200",
      "--autoWatermarkInterval=100"
    };
    ClassroomRunOptions options = PipelineOptionsFactory.fromArgs(args).as(ClassroomRunOptions.class);
    options.setSinkGroupId(sinkGroups);
    options.setJobName("classroom-it-" + run);
    SimulatedClock clock = SimulatedClock.of(new Instant(CLOCK_START), System.currentTimeMillis(), 1.0);
    Map<String, Object> client = Map.of("group.id", "it-" + run + "-" + System.nanoTime());
    ClassroomStreamingJob.Io io =
        new ClassroomStreamingJob.Io(
            kafka.bootstrapServers(), topics, client, clock,
            new EventTimePolicy.Bounds(Duration.ZERO, IDLE_AFTER, Duration.ZERO, FUTURE_SKEW));
    KafkaSinks.Delivery delivery = KafkaSinks.Delivery.from(options.as(dev.stallwatch.pipeline.options.ExactlyOnceOptions.class), Map.of());
    Pipeline pipeline = Pipeline.create(options);
    ClassroomStreamingJob.Read read = ClassroomStreamingJob.read(pipeline, config, io);
    ClassroomGraph.Outputs outputs = ClassroomGraph.build(read.inputs(), config);
    ClassroomStreamingJob.writeOutputs(outputs, null, read.unreadable(), config, io, delivery, new ClassroomStreamingJob.Tables(maria, tables));
    ClassroomStreamingJob.writeTables(outputs, config, new ClassroomStreamingJob.Tables(pg, tables), "Postgres");
    OBSERVED.put(run, new ConcurrentHashMap<>());
    outputs.signalCounts().apply("ObserveC3", ParDo.of(new Observe<SignalCount>(run, "c3")));
    outputs.courseDurations().apply("ObserveC4", ParDo.of(new Observe<CourseDurationRow>(run, "c4")));
    outputs.avQuality().apply("ObserveC5", ParDo.of(new Observe<AvQualityRow>(run, "c5")));
    return pipeline.run();
  }

  /** Keeps, per upsert key, the row with the greatest count a run emitted (Flink runs in this JVM). */
  static final class Observe<T> extends DoFn<T, Void> {
    private final String run;
    private final String table;

    Observe(String run, String table) {
      this.run = run;
      this.table = table;
    }

    @ProcessElement
    public void process(@Element T row) {
      String key;
      long count;
      String text;
      if (row instanceof SignalCount r) {
        key = r.upsertKey().toString();
        count = r.eventCount();
        text = c3Text(r);
      } else if (row instanceof CourseDurationRow r) {
        key = r.userId() + "|" + r.classroomId() + "|" + r.successMillis();
        count = 1;
        text = c4Text(r);
      } else {
        AvQualityRow r = (AvQualityRow) row;
        key = r.startMillis() + "|" + r.key();
        count = r.count();
        text = c5Text(r);
      }
      OBSERVED.get(run).merge(table + "|" + key, new String[] {Long.toString(count), text},
          (a, b) -> Long.parseLong(b[0]) >= Long.parseLong(a[0]) ? b : a);
    }
  }

  private static TreeSet<String> observedFinal(String run) {
    TreeSet<String> rows = new TreeSet<>();
    OBSERVED.get(run).values().forEach(v -> rows.add(v[1]));
    return rows;
  }

  @SafeVarargs
  private static TreeSet<String> union(TreeSet<String>... sets) {
    TreeSet<String> all = new TreeSet<>();
    for (TreeSet<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }

  // ---------------------------------------------------------------- the sources, simulated

  interface Rule {
    boolean tooLate(Long eventMillis, long watermarkMillis);
  }

  private static long windowLast(long millis, long size) {
    return Math.floorDiv(millis, size) * size + size - 1;
  }

  /**
   * What a source makes of one topic's feed: per partition in offset order, the watermark is the
   * latest time read minus the bound (never back); a record dated beyond the clock plus the skew is
   * a dead letter {@code future} and moves nothing; a record the rule calls too late is stamped
   * with the watermark, any other with its time; a record without a readable time with the
   * watermark. Tombstones, blank and non-UTF-8 messages are the source's dead letters.
   */
  private static List<TimestampedValue<Message>> stamp(
      String topic, List<Fed> fed, long bound, Rule rule, List<BadRecord> dead) {
    Map<Integer, long[]> state = new HashMap<>(); // partition -> {max time, watermark, next offset}
    List<TimestampedValue<Message>> out = new ArrayList<>();
    for (Fed f : fed) {
      long[] s = state.computeIfAbsent(f.partition(), p -> new long[] {Long.MIN_VALUE, org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis(), 0});
      String origin = topic + "/" + f.partition() + "/" + s[2]++;
      String text = f.text();
      if (f.value() == null) {
        dead.add(BadRecord.of("", origin, "empty message (a tombstone)"));
        continue;
      }
      boolean utf8;
      try {
        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(f.value()));
        utf8 = true;
      } catch (java.nio.charset.CharacterCodingException e) {
        utf8 = false;
      }
      if (!utf8) {
        dead.add(BadRecord.of(text, origin, "not UTF-8 text"));
        continue;
      }
      if (text.isBlank()) {
        dead.add(BadRecord.of(text, origin, "blank message"));
        continue;
      }
      long stampAt;
      Long t = f.readTime();
      if (t == null) {
        stampAt = s[1];
      } else if (t > CLOCK_START + FUTURE_SKEW.getMillis()) {
        dead.add(BadRecord.of(text, origin, "future: event time " + SECONDS.format(java.time.Instant.ofEpochMilli(t))));
        continue;
      } else {
        if (t > s[0]) {
          s[0] = t;
          s[1] = Math.max(s[1], t - bound);
        }
        stampAt = rule.tooLate(t, s[1]) ? s[1] : t;
      }
      out.add(TimestampedValue.of(new Message(f.key(), text, origin), new Instant(stampAt)));
    }
    return out;
  }

  /** A reason as compared: a future one up to the clock's reading, which depends on when the job ran. */
  private static String shownReason(String reason) {
    int at = reason.indexOf(" is more than ");
    return reason.startsWith("future: ") && at > 0 ? reason.substring(0, at) : reason;
  }

  // ---------------------------------------------------------------- the feed

  private static final String[][] RULES = {
    {"", "shape", "move", ""},
    {"", "shape", "mouse", "over"},
    {"", "shape", "add", ""},
    {"", "template", "audio", "start"},
    {"", "template", "audio", "pause"},
    {"match", "template", "match", "drop:wrong"},
    {"match", "template", "match", "drop:correct"},
  };

  private static String signal(String user, String room, String time, int msgid, int role, String[] rule, int page) {
    return "{\"createTime\":\"" + user + "-" + page + "\",\"data\":{\"userid\":\"" + user + "\",\"roomId\":\"" + room
        + "\",\"timestamp\":" + time + ",\"role\":" + role + ",\"msgid\":" + msgid + ",\"msg\":{\"msgtype\":116,\"msg_data\":{"
        + "\"target_id\":\"" + rule[0] + "\",\"target_type\":\"" + rule[1] + "\",\"action\":\"" + rule[2] + "\",\"sub_action\":\""
        + rule[3] + "\",\"page_index\":" + page + "}}}}";
  }

  private static Fed fed(int partition, String key, String json, Long time) {
    return new Fed(partition, key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), time);
  }

  /** About 300 messages over 23:57–00:03 on two partitions. */
  static List<Fed> signalFeed() {
    List<Fed> feed = new ArrayList<>();
    long t0 = MIDNIGHT - 180_000L;
    for (int i = 0; i < 260; i++) {
      int p = i % 2;
      String user = "u" + (i % 6);
      String room = "r" + (i % 2 + 1);
      String key = "k-" + user;
      long t = t0 + i * 1_400L;
      String[] rule = RULES[i % 7];
      switch (i % 20) {
        case 3 -> feed.add(fed(p, key, signal(user, room, Long.toString(t), 306, 2, rule, i), t)); // chat: ignored
        case 7 -> feed.add(fed(p, key, signal(user, room, Long.toString(t), 305, 1, rule, i), t)); // a teacher: ignored
        case 11 -> {
          feed.add(fed(p, key, signal(user, room, Long.toString(t), 305, 2, rule, i), t));
          feed.add(fed(p, key, signal(user, room, Long.toString(t), 305, 2, rule, i), t)); // a duplicate
        }
        case 13 -> {
          long whole = t - Math.floorMod(t, 1000L);
          feed.add(fed(p, key, signal(user, room, "\"" + SECONDS.format(java.time.Instant.ofEpochMilli(whole)) + "\"", 305, 2, rule, i), whole));
        }
        case 17 -> feed.add(fed(p, key, signal(user, room, Long.toString(t - 3_000), 305, 2, rule, i), t - 3_000)); // out of order
        case 19 -> feed.add(fed(p, key, signal(user, room, Long.toString(t - 70_000), 305, 2, rule, i), t - 70_000)); // too late
        default -> feed.add(fed(p, key, signal(user, room, Long.toString(t), 305, 2, rule, i), t));
      }
      if (i == 128) { // the minute edges around midnight, on both partitions
        for (long edge : new long[] {MIDNIGHT - 1, MIDNIGHT, MIDNIGHT + 59_999, MIDNIGHT + 60_000}) {
          feed.add(fed(0, "k-edge", signal("u9", "r1", Long.toString(edge), 305, 2, RULES[0], 1), edge));
          feed.add(fed(1, "k-edge", signal("u9", "r2", Long.toString(edge), 305, 2, RULES[3], 2), edge));
        }
      }
      if (i == 40) {
        feed.add(fed(0, "k-bad", "not json{", null));
        feed.add(fed(0, "k-bad", "{\"data\":5}", null));
        feed.add(fed(0, "k-bad", signal("", "r1", Long.toString(t), 305, 2, rule, i), t)); // no userid
        feed.add(fed(0, "k-bad", signal(user, room, "\"garbage\"", 305, 2, rule, i), null));
        feed.add(fed(0, "k-bad", null, null)); // a tombstone
        feed.add(fed(1, "k-bad", " \t ", null));
        feed.add(new Fed(1, "k-bad", new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}, null));
        feed.add(fed(1, "k-bad", signal(user, room, Long.toString(FAR_FUTURE), 305, 2, rule, i), FAR_FUTURE));
      }
    }
    return feed;
  }

  private static String qos(long user, String classroom, String sub, long dataTime, String type) {
    return "{\"classroom_id\":\"" + classroom + "\",\"user_type\":\"" + type + "\",\"user_id\":" + user + ",\"event_time\":"
        + (dataTime - 17) + ",\"sub_event\":\"" + sub + "\",\"extra\":{\"data_time\":" + dataTime + ",\"msg\":{\"pptIndex\":" + (dataTime % 7) + "}}}";
  }

  /** 30 visits of 7 to 8 events each, 23:58–00:04, some out of order, some too late, some bad. */
  static List<Fed> qosFeed() {
    record Event(long arrival, Long time, String json, String key) {}
    List<Event> events = new ArrayList<>();
    long q0 = MIDNIGHT - 120_000L;
    int n = 0;
    for (long user = 101; user <= 106; user++) {
      for (int c = 1; c <= 5; c++, n++) {
        String classroom = "c" + c;
        String type = user % 2 == 0 ? "student" : "teacher";
        long s = q0 + n * 10_000L + user;
        String key = "q-" + user;
        long delay = n % 5 == 2 ? 30_000 : 0; // out of order within the 60 s bound
        if (n % 7 == 3) {
          events.add(new Event(s, s, qos(user, classroom, "PPT_SUCCESS", s, type), key)); // tied with the start
        }
        events.add(new Event(s + delay, s, qos(user, classroom, "ENTER", s, type), key));
        events.add(new Event(s + 1_500, s + 1_500, qos(user, classroom, "PPT_LOADING", s + 1_500, type), key));
        events.add(new Event(s + 3_000, s + 3_000, qos(user, classroom, "NET", s + 3_000, type), key));
        events.add(new Event(s + 8_000, s + 8_000, qos(user, classroom, "PPT_SUCCESS", s + 8_000, type), key));
        events.add(new Event(s + 8_001, s + 8_000, qos(user, classroom, "PPT_SUCCESS", s + 8_000, type), key)); // a duplicate
        events.add(new Event(s + 20_000, s + 20_000, qos(user, classroom, "PPT_SUCCESS", s + 20_000, type), key));
        events.add(new Event(s + 25_000, s + 25_000, qos(user, classroom, "PAGE", s + 25_000, type), key));
        if (n % 9 == 4) {
          events.add(new Event(s + 150_000, s - 500, qos(user, classroom, "NET", s - 500, type), key)); // too late
        }
      }
    }
    long b = q0 + 60_000;
    events.add(new Event(b, b, "{\"classroom_id\":\"c1\",\"extra\":{\"data_time\":" + b + "},\"event_time\":" + b + "}", "q-bad")); // no user_id
    events.add(new Event(b + 1, null, "{\"classroom_id\":\"c1\",\"user_id\":101,\"event_time\":" + b + "}", "q-bad")); // no extra
    events.add(new Event(b + 2, null, "{\"classroom_id\":\"c1\",\"user_id\":101,\"event_time\":1,\"extra\":{\"data_time\":\"abc\"}}", "q-bad"));
    events.add(new Event(b + 3, null, "[1,2]", "q-bad"));
    events.add(new Event(b + 4, null, null, "q-bad"));
    events.sort(java.util.Comparator.comparingLong(Event::arrival));
    List<Fed> feed = new ArrayList<>();
    for (Event e : events) {
      feed.add(fed(0, e.key(), e.json(), e.time()));
    }
    return feed;
  }

  private static String agora(int i, long time) {
    long user = 201 + i % 6;
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"classroom_id\":").append(i % 17 == 0 ? "null" : "\"c" + (i % 3 + 1) + "\"");
    sb.append(",\"user_type\":\"").append(i % 23 == 0 ? "teacher" : "student").append('"');
    sb.append(",\"user_id\":").append(user);
    if (i % 13 != 0) {
      sb.append(",\"agora_channel_id\":").append(9000 + i % 3);
    }
    sb.append(",\"event\":\"EVENT\"");
    long fr = i % 11 == 0 ? -1 : 15 + i % 10;
    long lost = i % 9 == 0 ? -1 : i % 4;
    sb.append(",\"agora_videoState\":{\"fr\":").append(fr).append(i % 19 == 0 ? "" : ",\"uid\":" + (user * 10 + 1)).append('}');
    sb.append(",\"agora_audioState\":{\"lost\":").append(lost).append(",\"uid\":").append(user * 10 + 2).append('}');
    sb.append(",\"messageCreateTime\":").append(i % 5 == 0 ? "\"" + time + "\"" : Long.toString(time));
    return sb.append('}').toString();
  }

  /** About 400 records, 23:58:30–00:03, with -1 markers, missing key fields, out of order and late ones. */
  static List<Fed> avFeed() {
    record Event(long arrival, String json, Long time) {}
    List<Event> events = new ArrayList<>();
    long a0 = MIDNIGHT - 90_000L;
    for (int i = 0; i < 400; i++) {
      long t = a0 + i * 700L;
      long delay = i % 8 == 5 ? 20_000 : i % 29 == 7 ? 130_000 : 0;
      events.add(new Event(t + delay, agora(i, t), t));
    }
    long b = a0 + 100_000;
    events.add(new Event(b, "{\"user_type\":\"student\",\"user_id\":201,\"agora_audioState\":{\"lost\":1}}", null));
    events.add(new Event(b + 1, "{\"user_type\":\"student\",\"user_id\":\"abc\",\"agora_audioState\":{\"lost\":1},\"messageCreateTime\":" + b + "}", b));
    events.add(new Event(b + 2, "oops", null));
    events.add(new Event(b + 3, null, null));
    events.sort(java.util.Comparator.comparingLong(Event::arrival));
    List<Fed> feed = new ArrayList<>();
    for (Event e : events) {
      feed.add(fed(0, "a-" + (e.json() == null ? "bad" : Integer.toString(e.json().hashCode() % 7)), e.json(), e.time()));
    }
    return feed;
  }

  private static void produce(Map<String, List<Fed>> feed) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("enable.idempotence", "true");
    p.put("acks", "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, List<Fed>> e : feed.entrySet()) {
        for (Fed f : e.getValue()) {
          producer.send(new ProducerRecord<>(e.getKey(), f.partition(), f.key().getBytes(StandardCharsets.UTF_8), f.value()));
        }
      }
      producer.flush();
    }
  }

  // ---------------------------------------------------------------- what the job wrote

  /** Every record of {@code topic}, read committed from the beginning, as key TAB value. */
  private static List<String> records(String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    props.put("group.id", "check-" + System.nanoTime());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long until = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, String> r : c.poll(java.time.Duration.ofMillis(300))) {
          values.add(r.key() + "\t" + r.value());
        }
        if (!c.assignment().isEmpty() && c.assignment().stream().allMatch(tp -> c.position(tp) >= end(c, tp))) {
          break;
        }
      }
    }
    return values;
  }

  private static long end(KafkaConsumer<String, String> c, TopicPartition tp) {
    return c.endOffsets(List.of(tp)).get(tp);
  }

  private static TreeMap<String, Integer> counted(List<String> records) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    records.forEach(r -> counts.merge(r, 1, Integer::sum));
    return counts;
  }

  private static TreeMap<String, String> deadLetters(List<String> records) {
    TreeMap<String, String> dead = new TreeMap<>();
    for (String r : records) {
      Map<String, String> f = AlertJson.fields(r.substring(r.indexOf('\t') + 1));
      assertEquals(f.get("origin"), r.substring(0, r.indexOf('\t')), "a dead letter is keyed by its origin");
      String previous = dead.put(f.get("origin"), shownReason(f.get("reason")) + "\t" + f.get("raw"));
      assertTrue(previous == null, "one dead letter per origin: " + f.get("origin"));
    }
    return dead;
  }

  private static String time(long millis) {
    return TIME.format(java.time.Instant.ofEpochMilli(millis));
  }

  static String c3Text(SignalCount r) {
    return String.join("|", time(r.startMillis()), time(r.endMillis()), r.webserverId(), r.userId(), r.role(), r.event(),
        Long.toString(r.eventCount()), time(r.createMillis()));
  }

  static String c4Text(CourseDurationRow r) {
    return String.join("|", Long.toString(r.userId()), r.classroomId(), r.userType(), Long.toString(r.spendMillis()),
        time(r.eventTimeMillis()), time(r.successMillis()), time(r.successMillis()));
  }

  static String c5Text(AvQualityRow r) {
    return String.join("|", time(r.startMillis()), time(r.endMillis()), Long.toString(r.key().userId()),
        Long.toString(r.key().channelId()), r.key().classroomId(), r.key().userType(), Long.toString(r.key().uid()),
        r.key().event(), Double.toString((double) r.sum()), Double.toString(r.avg()), Long.toString(r.count()), time(r.endMillis()));
  }

  /** How each table of {@code db} differs from the models' rows; empty when all three equal them. */
  private static List<String> tableDifferences(JdbcSettings db, ClassroomTables t, TreeSet<String> c3, TreeSet<String> c4, TreeSet<String> c5)
      throws Exception {
    List<String> differences = new ArrayList<>();
    differences.addAll(difference("C3 at " + db, c3Rows(db, t), c3));
    differences.addAll(difference("C4 at " + db, c4Rows(db, t), c4));
    differences.addAll(difference("C5 at " + db, c5Rows(db, t), c5));
    return differences;
  }

  /** What {@code actual} lacks and what it has beyond {@code expected}, with the first of each; empty when equal. */
  private static List<String> difference(String what, TreeSet<String> actual, TreeSet<String> expected) {
    if (actual.equals(expected)) {
      return List.of();
    }
    TreeSet<String> lacking = new TreeSet<>(expected);
    lacking.removeAll(actual);
    TreeSet<String> extra = new TreeSet<>(actual);
    extra.removeAll(expected);
    return List.of(what + ": " + actual.size() + " rows of " + expected.size() + ", " + lacking.size() + " lacking"
        + (lacking.isEmpty() ? "" : " (first " + lacking.first() + ")") + ", " + extra.size() + " not expected"
        + (extra.isEmpty() ? "" : " (first " + extra.first() + ")"));
  }

  private static TreeSet<String> c3Rows(JdbcSettings db, ClassroomTables t) throws Exception {
    return rows(db, "SELECT start_time, end_time, webserver_id, user_id, role, event, event_count, create_time FROM " + t.signalAnalysis());
  }

  private static TreeSet<String> c4Rows(JdbcSettings db, ClassroomTables t) throws Exception {
    return rows(db, "SELECT user_id, classroom_id, user_type, spend_time, event_time, success_time, create_time FROM " + t.takeTime());
  }

  private static TreeSet<String> c5Rows(JdbcSettings db, ClassroomTables t) throws Exception {
    return rows(db, "SELECT start_time, end_time, user_id, web_server_id, classroom_id, user_type, extra_uid, event, event_sum,"
        + " event_avg, event_count, create_time FROM " + t.avRecord());
  }

  /** The rows of a query as text, columns joined by |; doubles as Java prints them; fails on a repeated row. */
  private static TreeSet<String> rows(JdbcSettings db, String sql) throws Exception {
    TreeSet<String> rows = new TreeSet<>();
    int n = 0;
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          int type = r.getMetaData().getColumnType(i);
          if (type == java.sql.Types.DOUBLE || type == java.sql.Types.FLOAT || type == java.sql.Types.REAL) {
            values.add(Double.toString(r.getDouble(i)));
          } else {
            values.add(String.valueOf(r.getString(i)));
          }
        }
        rows.add(String.join("|", values));
        n++;
      }
    }
    assertEquals(n, rows.size(), "no row twice: " + sql);
    return rows;
  }

  /**
   * Waits until {@code missing} says nothing is missing. Fails at once, with the job's failure, when
   * the job has stopped (its restarts are off), and on time-out with what was still missing.
   */
  private static void await(String what, int seconds, PipelineResult job, MissingParts missing) throws InterruptedException {
    long until = System.currentTimeMillis() + seconds * 1000L;
    List<String> last = List.of("not looked at yet");
    while (true) {
      try {
        last = missing.get();
      } catch (Exception e) {
        last = List.of("the outputs could not be read: " + e);
      }
      if (last.isEmpty()) {
        return;
      }
      PipelineResult.State state = job.getState();
      if (state.isTerminal()) {
        String cause = "";
        try {
          job.waitUntilFinish(org.joda.time.Duration.millis(1));
        } catch (RuntimeException e) {
          cause = ": " + e;
          for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            cause += " / " + t;
          }
        }
        throw new AssertionError("the job stopped (" + state + cause + ") before " + what + "; missing: " + String.join("; ", last));
      }
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("no " + what + " within " + seconds + " s (job " + state + "); missing: " + String.join("; ", last));
      }
      Thread.sleep(1_000);
    }
  }

  /** Cancels a job that still runs, so a failure's own message is the one the test reports. */
  private static void cancel(PipelineResult job) {
    try {
      if (!job.getState().isTerminal()) {
        job.cancel();
      }
    } catch (Exception | AssertionError e) {
      System.err.println("ClassroomStreamingIT: cannot cancel the job: " + e);
    }
  }

  /** What an awaited outcome still lacks, a line each; empty when it is complete. */
  @FunctionalInterface
  private interface MissingParts {
    List<String> get() throws Exception;
  }
}
