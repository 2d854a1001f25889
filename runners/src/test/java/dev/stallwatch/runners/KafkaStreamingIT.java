package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.stall.StreamingJob;
import dev.stallwatch.embedded.EmbeddedKafka;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.PostgresServer;
import dev.stallwatch.pipeline.jdbc.TableScripts;
import dev.stallwatch.testing.AlertJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming job on the Flink runner against real parts: an in-process Kafka broker and a real
 * PostgreSQL server holding the dimension tables and the audit table.
 */
class KafkaStreamingIT {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** The simulated clock runs 60 times faster than the wall clock: an 8-minute gap takes 8 s. */
  private static final double SPEED = 60;

  private static EmbeddedKafka kafka;
  private static PostgresServer postgres;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * The embedded default is the README's main command: it must exit 0, which it does only when the
   * alerts on the topics, the audit rows and the dead letters equal the reference model's.
   */
  @Test
  void embeddedDefaultEqualsTheModel() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Launcher.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(new String[] {"run", "--replayApplicants=300", "--simulatedSpeed=3000", "--parallelism=2", "--verbose"});
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
    assertTrue(printed.contains("alerts, audit rows and dead letters equal the reference model's"), printed);
    assertTrue(printed.lines().anyMatch(l -> l.matches("stallwatch run: \\d+ of 578 alerts, \\d+ of 19 dead letters so far")), printed);
    assertTrue(printed.lines().anyMatch(l -> l.startsWith("alert cc ")), "--verbose prints each alert: " + printed);
    assertTrue(printed.lines().anyMatch(l -> l.startsWith("alert mot ")), printed);
  }

  /** {@code generate --bootstrapServers} sends every generated row to the topic, keyed by mobile. */
  @Test
  void generateSendsTheJourneysToATopic() throws Exception {
    kafka.createTopics(Map.of("it_generated", 2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Launcher.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "generate",
                  "--bootstrapServers=" + kafka.bootstrapServers(),
                  "--topic=it_generated",
                  "--applicants=20",
                  "--days=1",
                  "--badRowRate=0.05",
                  "--speed=200000"
                });
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
    java.util.regex.Matcher sent = java.util.regex.Pattern.compile("sent (\\d+) rows").matcher(printed);
    assertTrue(sent.find(), printed);
    assertTrue(printed.contains("--simulatedStart=") && printed.contains("--simulatedAnchor="), printed);
    List<String> rows = readAll("it_generated");
    assertEquals(Integer.parseInt(sent.group(1)), rows.size());
    assertTrue(rows.size() > 100, "about seven rows an applicant: " + rows.size());
  }

  /**
   * One job through its life: all rows on one of two partitions (the other stays empty, so alerts
   * fire only if the idle partition's watermark advances); bad messages dead-lettered while the job
   * goes on; a customer blacklisted while the job runs is excluded from the call-centre route after
   * one refresh; the audit table equals the alerts; and a second job replaying the whole topic adds
   * no audit row.
   */
  @Test
  void streamingJobOnKafkaAndPostgres() throws Exception {
    StallConfig config = StallConfig.defaults();
    IoNames defaults = IoNames.defaultNames();
    String input = "it_" + defaults.inputTopic();
    String dead = "it_" + defaults.deadLetterTopic();
    IoNames names = defaults.with("inputTopic", input).with("deadLetterTopic", dead);
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(input, 2);
    topics.put(dead, 1);
    config.routes().forEach(r -> topics.put(r.topic(), 1));
    kafka.createTopics(topics);

    JdbcSettings jdbc = postgres.settings();
    TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
    execute(jdbc, "DELETE FROM " + names.auditTable());
    execute(jdbc, "DELETE FROM " + names.blacklistTable());
    execute(jdbc, "INSERT INTO " + names.channelTable() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES ('14781', '同花顺')");

    LocalDateTime t0 = LocalDateTime.of(2024, 3, 20, 10, 0, 0);
    SimulatedClock clock =
        SimulatedClock.of(new Instant(t0.atZone(ZONE).toInstant().toEpochMilli()), System.currentTimeMillis() + 10_000, SPEED);
    String[] args = {
      "--runner=FlinkRunner",
      "--streaming=true",
      "--attachedMode=false",
      "--parallelism=2",
      "--checkpointingInterval=5000",
      TestCheckpoints.backend(),
      TestCheckpoints.storage(),
      "--maxBundleTimeMills=200",
      "--bootstrapServers=" + kafka.bootstrapServers(),
      "--maxOutOfOrderness=120",
      "--idleAfter=30"
    };
    IoNames itNames = names;
    RunOptions options = PipelineOptionsFactory.fromArgs(args).as(RunOptions.class);
    // sink groups of this test's own: each job started afresh needs its own
    String groups = "it-" + Long.toHexString(System.nanoTime());
    options.setSinkGroupId(groups);
    PipelineResult job = startJob(options, config, names, clock, jdbc);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      // a stalls at ID upload; b finishes; two messages are not rows at all
      send(producer, input, clock, row("13800000001", "110101199001010011", "22107", t0.plusMinutes(1)));
      send(producer, input, clock, row("13800000002", "110101199001010022", "22107", t0.plusMinutes(1)));
      send(producer, input, clock, row("13800000002", "110101199001010022", "22114", t0.plusMinutes(3)));
      producer.send(new ProducerRecord<>(input, 0, null, new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'})).get();
      producer.send(new ProducerRecord<>(input, 0, null, "[1, 2]".getBytes(StandardCharsets.UTF_8))).get();

      // nothing more arrives: only the idle-partition rule lets a's deadline (10:09) pass
      await("a's alerts on both routes", 90, () -> readAll(config.routes().get(0).topic()).size() == 1
          && readAll(config.routes().get(1).topic()).size() == 1);
      assertEquals(2, readAll(dead).size());
      for (String d : readAll(dead)) {
        assertTrue(AlertJson.fields(d).get("origin").matches(input + "/0/\\d+"), d);
      }

      // c is blacklisted while the job runs; after one refresh period c stalls
      execute(jdbc, "INSERT INTO " + names.blacklistTable() + " (ID_NO, MOBILE_TEL) VALUES ('110101199001010033', NULL)");
      Thread.sleep(2_500);
      LocalDateTime now = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(clock.now().getMillis()), ZONE);
      send(producer, input, clock, row("13800000003", "110101199001010033", "22112", now.withNano(0)));
      await("c's alert on the SMS route", 90, () -> mobiles(readAll("stream_mot_stream_account_break_ths")).contains("13800000003"));
      Thread.sleep(3_000); // the call-centre alert, were it wrongly sent, would come at the same watermark
    } finally {
      job.cancel();
    }
    List<String> cc = readAll("stream_mot_stream_account_break_ths_cc");
    List<String> mot = readAll("stream_mot_stream_account_break_ths");
    assertEquals(List.of("13800000001"), new ArrayList<>(mobiles(cc)), "cc excludes the blacklisted c");
    assertEquals(List.of("13800000001", "13800000003"), new ArrayList<>(mobiles(mot)));
    List<String> alerts = new ArrayList<>(cc);
    alerts.addAll(mot);
    assertEquals(JobOutputs.auditKeys(alerts), JobOutputs.auditRows(jdbc, itNames.auditTable()));
    assertEquals("同花顺", AlertJson.fields(mot.get(0)).get("channel_name"), "channel names come from the table");

    // a second job replays the whole topic: the alerts come again, the audit table stays as it is.
    // A job started afresh (no savepoint) keeps its exactly-once sinks' progress in groups of its own.
    RunOptions replayOptions = PipelineOptionsFactory.fromArgs(args).as(RunOptions.class);
    replayOptions.setSinkGroupId(groups + "-replay");
    PipelineResult replay = startJob(replayOptions, config, names, clock, jdbc);
    try {
      await("the replayed alerts", 120, () -> readAll("stream_mot_stream_account_break_ths").size() == 4
          && readAll("stream_mot_stream_account_break_ths_cc").size() == 2);
      Thread.sleep(2_000);
    } finally {
      replay.cancel();
    }
    assertEquals(JobOutputs.auditKeys(alerts), JobOutputs.auditRows(jdbc, itNames.auditTable()), "a replay adds no audit row");
  }

  private static PipelineResult startJob(
      RunOptions options, StallConfig config, IoNames names, SimulatedClock clock, JdbcSettings jdbc) {
    return StreamingJob.create(
            options,
            new JobConfig(config, names),
            new StreamingJob.Io(options.getBootstrapServers(), names, Map.of(), clock),
            StreamingJob.refreshed(jdbc, names, org.joda.time.Duration.standardSeconds(2)),
            AuditTable.of(jdbc).withTable(names.auditTable()))
        .run();
  }

  private static String row(String mobile, String idNo, String flag, LocalDateTime at) {
    return "{\"mobile_tel\":\"" + mobile + "\",\"user_id\":\"u" + mobile.substring(7) + "\",\"request_no\":\"R" + mobile.substring(7)
        + "\",\"client_name\":\"测试\",\"id_no\":\"" + idNo + "\",\"branch_no\":\"101\",\"channel_code\":\"14781\""
        + ",\"request_status\":\"0\",\"business_flag_last\":\"" + flag + "\",\"last_update_datetime\":\""
        + at.format(SPACED) + "\"}";
  }

  /** Sends {@code json} to partition 0 once the simulated clock reaches its event time. */
  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, SimulatedClock clock, String json)
      throws Exception {
    String time = AlertJson.fields(json).get("last_update_datetime");
    clock.sleepUntil(LocalDateTime.parse(time, SPACED).atZone(ZONE).toInstant().toEpochMilli());
    producer.send(new ProducerRecord<>(topic, 0, null, json.getBytes(StandardCharsets.UTF_8))).get();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("enable.idempotence", "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static List<String> readAll(String topic) {
    return JobOutputs.committed(kafka.bootstrapServers(), topic);
  }

  private static TreeSet<String> mobiles(List<String> alerts) {
    TreeSet<String> mobiles = new TreeSet<>();
    alerts.forEach(a -> mobiles.add(AlertJson.fields(a).get("mobile")));
    return mobiles;
  }

  private static void execute(JdbcSettings jdbc, String sql) throws Exception {
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long until = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("no " + what + " within " + seconds + " s");
      }
      Thread.sleep(500);
    }
  }
}
