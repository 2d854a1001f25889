package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.stall.StallGraph;
import dev.stallwatch.pipeline.stall.StreamingJob;
import dev.stallwatch.embedded.EmbeddedKafka;
import dev.stallwatch.embedded.TemporaryDirectory;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.TableScripts;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.BadInputs;
import dev.stallwatch.text.EventTimes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the change stream: more than 10,000 malformed messages of every kind ({@link
 * BadInputs}), late and future rows, mixed into a generated day of valid traffic (with valid
 * oddities: a megabyte of unknown field, a number beyond any double, nesting within the limit,
 * decoy fields, escaped keys), on an in-process Kafka broker, the streaming job on the Flink runner
 * with restarts switched off, and the audit table on H2.
 *
 * <p>Every malformed message must be a dead letter with a reason its kind may have and its origin
 * (topic/partition/offset), no valid row may be one, no dead letter may show an {@code id_no}, the
 * job must still be running, and the alerts on the route topics and in the audit table must be
 * exactly the reference model's for the valid traffic.
 *
 * <p>All messages are on the topic before the job starts, so what is late is decided by each
 * partition's order alone: a late row is sent on a partition after valid rows whose time is more
 * than the watermark bound and the allowed lateness ahead of it. The job's clock starts two hours
 * after the last valid row, so once a partition is read to its end the idle rule moves its
 * watermark past every deadline; a future row is dated at least a day after that clock.
 */
class BadInputFuzzIT {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final long SEED = 20240320L;
  private static final int MALFORMED = 10_500;
  private static final int LATE = 300;
  private static final int FUTURE = 200;
  private static final long BOUND_MILLIS = 120_000;
  private static final Duration LATENESS = Duration.standardSeconds(60);
  private static final Pattern ID_KEY_VALUE = Pattern.compile("(?i)\"id_no\"\\s*:\\s*(\"[^\"]*\"?)?");

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** A message sent: its kind ("valid" for traffic) and the future of its record's metadata. */
  private static final class Sent {
    final String kind;
    final Future<RecordMetadata> metadata;

    Sent(String kind, Future<RecordMetadata> metadata) {
      this.kind = kind;
      this.metadata = metadata;
    }
  }

  @Test
  void everyMalformedMessageIsADeadLetterAndTheAlertsAreTheModels() throws Exception {
    long started = System.currentTimeMillis();
    StallConfig config = StallConfig.defaults().toBuilder().allowedLateness(LATENESS).build();
    IoNames names = IoNames.defaultNames().with("inputTopic", "fuzz_in").with("deadLetterTopic", "fuzz_dead");
    createTopics(config, names);

    Random random = new Random(SEED);
    List<Map<String, String>> rows =
        JourneyGenerator.builder().seed(SEED).applicants(1500).firstDay(LocalDate.of(2024, 3, 20)).days(1).build().rows();
    // arrival order: event time plus a delay below a third of the bound, as a CDC feed would
    List<Object[]> arrivals = new ArrayList<>();
    for (Map<String, String> row : rows) {
      long t = EventTimes.parse(row.get("last_update_datetime"), ZONE);
      arrivals.add(new Object[] {t + (long) (random.nextDouble() * BOUND_MILLIS / 3), t, row});
    }
    arrivals.sort(Comparator.comparingLong(a -> (long) a[0]));
    long lastTime = arrivals.stream().mapToLong(a -> (long) a[1]).max().orElseThrow();
    long clockStart = lastTime + 2 * 3_600_000L;

    // how many malformed messages follow each valid row
    int[] after = new int[arrivals.size()];
    for (int i = 0; i < MALFORMED; i++) {
      after[random.nextInt(after.length)]++;
    }
    Set<Integer> lateAfter = new java.util.HashSet<>();
    while (lateAfter.size() < LATE) {
      lateAfter.add(100 + random.nextInt(arrivals.size() - 100));
    }
    Set<Integer> futureAfter = new java.util.HashSet<>();
    while (futureAfter.size() < FUTURE) {
      futureAfter.add(random.nextInt(arrivals.size()));
    }

    BadInputs bad = new BadInputs(SEED, BadInputs.Format.KAFKA, 6);
    List<Sent> sent = new ArrayList<>();
    List<RawRow> valid = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    long[] partitionMax = {Long.MIN_VALUE, Long.MIN_VALUE};
    int oddities = 0;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < arrivals.size(); i++) {
        long time = (long) arrivals.get(i)[1];
        @SuppressWarnings("unchecked")
        Map<String, String> row = (Map<String, String>) arrivals.get(i)[2];
        ids.add(row.get("id_no"));
        int partition = Math.floorMod(row.get("mobile_tel").hashCode(), 2);
        String json = JourneyGenerator.toJson(row, random);
        sent.add(send(producer, names.inputTopic(), partition, "valid", json.getBytes(StandardCharsets.UTF_8)));
        valid.add(RawRow.json("valid", json));
        partitionMax[partition] = Math.max(partitionMax[partition], time);
        if (i % 97 == 0) {
          // a valid oddity: the same row again (an exact duplicate) with unusual but legal content
          String odd = oddity(json, oddities++);
          sent.add(send(producer, names.inputTopic(), partition, "valid", odd.getBytes(StandardCharsets.UTF_8)));
          valid.add(RawRow.json("valid", odd));
        }
        for (int k = 0; k < after[i]; k++) {
          BadInputs.Bad b = bad.next(row);
          ids.addAll(b.ids);
          // made from this row, a message keeps its time: sent on its partition, it moves no watermark
          sent.add(send(producer, names.inputTopic(), partition, b.kind, b.bytes));
        }
        if (lateAfter.contains(i) && partitionMax[partition] != Long.MIN_VALUE) {
          long lateTime = partitionMax[partition] - BOUND_MILLIS - LATENESS.getMillis() - 1_000 - (long) (random.nextDouble() * 3 * 86_400_000L);
          Map<String, String> late = stranger(row, random, lateTime, ids);
          sent.add(send(producer, names.inputTopic(), partition, "late", JourneyGenerator.toJson(late, random).getBytes(StandardCharsets.UTF_8)));
        }
        if (futureAfter.contains(i)) {
          long futureTime = clockStart + 86_400_000L + (long) (random.nextDouble() * 5 * 365 * 86_400_000L);
          Map<String, String> future = stranger(row, random, futureTime, ids);
          sent.add(send(producer, names.inputTopic(), random.nextInt(2), "future", JourneyGenerator.toJson(future, random).getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();
    }
    Map<String, String> kindOfOrigin = new HashMap<>();
    for (Sent s : sent) {
      RecordMetadata m = s.metadata.get();
      kindOfOrigin.put(m.topic() + "/" + m.partition() + "/" + m.offset(), s.kind);
    }
    Map<String, Integer> perKind = new TreeMap<>();
    kindOfOrigin.values().forEach(k -> perKind.merge(k, 1, Integer::sum));
    int malformed = kindOfOrigin.size() - perKind.get("valid");
    assertTrue(perKind.keySet().containsAll(BadInputs.kinds(BadInputs.Format.KAFKA)), perKind.toString());
    assertTrue(malformed >= 10_000 + LATE + FUTURE, "malformed " + malformed);

    Blacklist blacklist = Blacklist.of(new ArrayList<>(ids).subList(0, ids.size() / 25), List.of());
    ChannelNames channels = ChannelNames.of(Map.of("14781", "同花顺", "10001", "东方财富"));
    ReferenceModel.Result expected = ReferenceModel.of(config).withBlacklist(blacklist).withChannels(channels).run(valid);
    assertTrue(expected.deadLetters.isEmpty(), "the valid traffic is valid: " + expected.deadLetters);
    assertTrue(expected.alerts.size() > 500, "alerts " + expected.alerts.size());
    long produced = System.currentTimeMillis();

    try (TemporaryDirectory db = TemporaryDirectory.create("stallwatch-fuzz-h2")) {
      JdbcSettings jdbc =
          JdbcSettings.builder("jdbc:h2:file:" + db.path().resolve("fuzz") + ";MODE=Oracle")
              .user("stallwatch")
              .passwordEnv("STALLWATCH_FUZZ_H2_PASSWORD")
              .build();
      TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
      SimulatedClock clock = SimulatedClock.of(new Instant(clockStart), System.currentTimeMillis(), 1.0);
      RunOptions options =
          PipelineOptionsFactory.fromArgs(
                  "--runner=FlinkRunner",
                  "--streaming=true",
                  "--attachedMode=false",
                  "--parallelism=2",
                  "--checkpointingInterval=5000",
                  TestCheckpoints.backend(),
                  TestCheckpoints.storage(),
                  "--maxBundleTimeMills=200",
                  "--autoWatermarkInterval=100",
                  // a failure fails the job instead of restarting it, so a poison message shows
                  "--numberOfExecutionRetries=0",
                  // this test is about input, not delivery: its alerts need not wait for checkpoints
                  "--exactlyOnce=false",
                  "--bootstrapServers=" + kafka.bootstrapServers(),
                  "--maxOutOfOrderness=" + BOUND_MILLIS / 1000,
                  "--idleAfter=3")
              .as(RunOptions.class);
      PipelineResult job =
          StreamingJob.create(
                  options,
                  new JobConfig(config, names),
                  new StreamingJob.Io(options.getBootstrapServers(), names, Map.of(), clock),
                  p -> StallGraph.Dimensions.fixed(p, blacklist, channels),
                  AuditTable.of(jdbc).withTable(names.auditTable()))
              .run();
      List<String> alerts = new ArrayList<>();
      List<String> dead;
      String cc = config.routes().get(0).topic();
      String mot = config.routes().get(1).topic();
      try (Collector out = new Collector(List.of(cc, mot, names.deadLetterTopic()))) {
        int wantAlerts = expected.alerts.size();
        await("the model's alerts, every dead letter and audit row", 150, job, () ->
            out.poll(cc) + out.poll(mot) >= wantAlerts
                && out.poll(names.deadLetterTopic()) >= malformed
                && auditRows(jdbc, names).size() >= wantAlerts);
        Thread.sleep(2_000); // anything extra would come with the same watermark
        assertEquals(PipelineResult.State.RUNNING, job.getState(), "the job neither failed nor restarted");
        out.poll(cc);
        alerts.addAll(out.values(cc));
        alerts.addAll(out.values(mot));
        dead = out.values(names.deadLetterTopic());
      } finally {
        cancel(job);
      }

      assertEquals(AlertJson.canonicalAlerts(expected.alerts), AlertJson.canonical(alerts), "alerts = the model's");
      TreeSet<String> wantAudit = new TreeSet<>();
      expected.alerts.forEach(a -> wantAudit.add(String.join("|", a.eventId(), a.mobile(), a.occurDate(), a.occurTime())));
      assertEquals(wantAudit, new TreeSet<>(auditRows(jdbc, names)), "audit rows = the model's alerts");

      Map<String, Map<String, Integer>> reasonsPerKind = new TreeMap<>();
      Set<String> deadOrigins = new TreeSet<>();
      for (String d : dead) {
        Map<String, String> f = AlertJson.fields(d);
        String origin = f.get("origin");
        String reason = f.get("reason");
        String raw = f.get("raw");
        String kind = kindOfOrigin.get(origin);
        assertTrue(deadOrigins.add(origin), "one dead letter per message: " + origin);
        assertTrue(kind != null && !kind.equals("valid"), "a dead letter for a valid or unknown message " + origin + ": " + d);
        assertFalse(reason == null || reason.isBlank(), d);
        List<String> allowed = BadInputs.reasons(kind);
        assertTrue(allowed.isEmpty() || allowed.stream().anyMatch(reason::startsWith), kind + " got reason " + reason);
        assertTrue(raw.length() <= 16_384 + 60, "raw text is cut: " + raw.length());
        assertFalse(containsAnId(raw, ids), "an id_no in dead letter " + origin + ": " + raw);
        assertIdValuesMasked(origin, raw);
        String category = reason.replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "'…'").replaceAll("field [a-z_]+", "field F");
        reasonsPerKind.computeIfAbsent(kind, k -> new TreeMap<>()).merge(category.length() > 70 ? category.substring(0, 70) : category, 1, Integer::sum);
      }
      Set<String> missing = new TreeSet<>();
      kindOfOrigin.forEach((origin, kind) -> {
        if (!kind.equals("valid") && !deadOrigins.contains(origin)) {
          missing.add(origin + " (" + kind + ")");
        }
      });
      assertEquals(Set.of(), missing, "malformed messages without a dead letter");
      for (String a : alerts) {
        assertFalse(containsAnId(a, ids), "an id_no in an alert: " + a);
      }

      long done = System.currentTimeMillis();
      System.out.printf(
          "BadInputFuzzIT: %d valid messages (%d oddities), %d malformed, %d alerts, %d audit rows; produced in %.1f s,"
              + " job to last check %.1f s, test %.1f s%n",
          perKind.get("valid"), oddities, malformed, alerts.size(), wantAudit.size(), (produced - started) / 1000.0,
          (done - produced) / 1000.0, (done - started) / 1000.0);
      perKind.forEach((kind, n) -> System.out.printf("  %-20s %6d  %s%n", kind, n, reasonsPerKind.getOrDefault(kind, Map.of())));
    }
  }

  /** Runs of letters and digits long enough to hold an id: a permit's 9 characters or more. */
  private static final Pattern RUNS = Pattern.compile("[0-9A-Za-z]{9,}");

  /** The lengths of the ids the fuzz tests make: passports and permits, old and new PRC numbers. */
  private static final int[] ID_LENGTHS = {9, 15, 18};

  /** Every value after an {@code "id_no"} key in {@code raw} is the mask (or the text ends first). */
  static void assertIdValuesMasked(String where, String raw) {
    Matcher m = ID_KEY_VALUE.matcher(raw);
    while (m.find()) {
      boolean masked = m.group(1) == null ? m.end() == raw.length() : m.group(1).startsWith("\"***\"");
      assertTrue(masked, "an id_no not masked in " + where + ": " + raw);
    }
  }

  /** Whether {@code text} holds one of {@code ids} anywhere, inside a longer run or not. */
  static boolean containsAnId(String text, Set<String> ids) {
    Matcher m = RUNS.matcher(text);
    while (m.find()) {
      String run = m.group();
      for (int length : ID_LENGTHS) {
        for (int i = 0; i + length <= run.length(); i++) {
          if (ids.contains(run.substring(i, i + length))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * A row in {@code row}'s partition (same mobile) but of a new applicant of its own (another user
   * id and id number) at {@code millis}: if the job took it, it would change the alerts.
   */
  private static Map<String, String> stranger(Map<String, String> row, Random random, long millis, Set<String> ids) {
    Map<String, String> r = new LinkedHashMap<>(row);
    r.put("user_id", "late" + random.nextInt(1_000_000));
    r.put("request_no", "L" + random.nextInt(1_000_000));
    r.put("request_status", "0");
    r.put("business_flag_last", "22109");
    String id = String.format("45%016d", Math.floorMod(random.nextLong(), 10_000_000_000_000_000L));
    r.put("id_no", id);
    ids.add(id);
    r.put("last_update_datetime", EventTimes.dateTime(millis, ZONE));
    return r;
  }

  /** The row's JSON with unusual but legal content added in front: it stays valid and the same row. */
  private static String oddity(String json, int n) {
    String body = json.substring(1);
    switch (n % 7) {
      case 0:
        return "{\"remark\":\"" + "x".repeat(n % 12 == 0 ? 1 << 20 : 10_000) + "\"," + body;
      case 1:
        return "{\"big\":1e99999999999,\"neg\":-0.0e-999999999," + body;
      case 2:
        return "{\"deep\":" + "[".repeat(60) + "]".repeat(60) + "," + body;
      case 3:
        return "{\"nested\":{\"last_update_datetime\":\"2031-01-01 00:00:00\",\"id_no\":{\"x\":1}},"
            + "\"laſt_update_datetime\":\"2032-01-01 00:00:00\"," + body;
      case 4:
        return "{\"esc\\u0061ped\":\"\\u4e2d\\n\"," + body.replaceFirst("(?i)\"last_update_datetime\"", "\"last\\\\u005fupdate_datetime\"");
      case 5:
        // Unicode white space around every string value, and a key repeated inside an ignored object
        return "{\"ext\":{\"k\":1,\"k\":[{\"k\":1,\"k\":2}]}," + body.replaceAll("(\"[A-Za-z_]+\"\\s*:\\s*\")([^\"]*)\"", "$1\u3000$2\u00a0\"");
      default:
        return " \t{ \"a\" : [ ] ," + body.replace(",", " ,\n ") + " ";
    }
  }

  private void createTopics(StallConfig config, IoNames names) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    // the input topic takes the megabyte messages
    topics.add(new NewTopic(names.inputTopic(), 2, (short) 1).configs(Map.of("max.message.bytes", "4194304")));
    topics.add(new NewTopic(names.deadLetterTopic(), 1, (short) 1));
    config.routes().forEach(r -> topics.add(new NewTopic(r.topic(), 1, (short) 1)));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(topics).all().get();
    }
  }

  private static Sent send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, String kind, byte[] value) {
    return new Sent(kind, producer.send(new ProducerRecord<>(topic, partition, null, value)));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("enable.idempotence", "true");
    p.put("acks", "all");
    p.put("linger.ms", "20");
    p.put("batch.size", "262144");
    p.put("max.request.size", "4194304");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Reads the output topics as they fill, read committed, from the beginning: each {@link #poll}
   * reads what came since the last and answers how many values a topic has.
   */
  private static final class Collector implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<String>> values = new HashMap<>();

    Collector(List<String> topics) {
      Properties props = new Properties();
      props.put("bootstrap.servers", kafka.bootstrapServers());
      props.put("isolation.level", "read_committed");
      props.put("auto.offset.reset", "earliest");
      props.put("enable.auto.commit", "false");
      props.put("group.id", "check-" + System.nanoTime());
      consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
      consumer.subscribe(topics);
      topics.forEach(t -> values.put(t, new ArrayList<>()));
    }

    int poll(String topic) {
      for (int i = 0; i < 20; i++) {
        int n = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(200))) {
          values.get(r.topic()).add(r.value());
          n++;
        }
        if (n == 0 && !consumer.assignment().isEmpty()) {
          break;
        }
      }
      return values.get(topic).size();
    }

    List<String> values(String topic) {
      return values.get(topic);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  private static List<String> auditRows(JdbcSettings jdbc, IoNames names) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT EVENT_ID, MOBILE, EVENT_DATE, EVENT_TIME FROM " + names.auditTable())) {
      while (r.next()) {
        rows.add(String.join("|", r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
      }
    }
    return rows;
  }

  /** Cancels a job that still runs; a failed job's mini-cluster is gone and cannot be asked. */
  private static void cancel(PipelineResult job) {
    try {
      if (!job.getState().isTerminal()) {
        job.cancel();
      }
    } catch (Exception | AssertionError e) {
      System.err.println("BadInputFuzzIT: cannot cancel the job: " + e);
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, int seconds, PipelineResult job, Check condition) throws Exception {
    long until = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.holds()) {
      if (job.getState().isTerminal()) {
        throw new AssertionError("the job stopped (a message failed it; restarts are off): " + job.getState());
      }
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("no " + what + " within " + seconds + " s");
      }
      Thread.sleep(1_000);
    }
  }
}
