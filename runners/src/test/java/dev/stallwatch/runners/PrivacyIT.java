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
import dev.stallwatch.pipeline.stall.StreamingJob;
import dev.stallwatch.embedded.EmbeddedKafka;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.TableScripts;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.BadInputs;
import dev.stallwatch.testing.Conformance;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy and secrets, end to end, through the bundled jar in processes of their own (so that
 * their command lines and everything they print, with logging at INFO, can be read):
 *
 * <ul>
 *   <li>{@code generate} reaches a SASL/PLAIN listener with the Kafka password only in an
 *       environment variable the properties file names;
 *   <li>{@code run} reaches the same listener with the password only in its properties file, and
 *       the database with its password only in {@code STALLWATCH_JDBC_PASSWORD}: it must produce
 *       the model's alerts and audit rows, so both logins worked;
 *   <li>{@code backfill} reads dumps with malformed lines.
 * </ul>
 *
 * <p>No command line, no output line, no record on an output topic, no audit row and no output
 * file may hold a password or an {@code id_no}; an output line may show a mobile only masked.
 */
class PrivacyIT {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final String KAFKA_USER = "stallwatch";
  private static final String KAFKA_PASSWORD = "kafka-Pw-5f2e91c4";
  private static final String JDBC_PASSWORD = "jdbc-Pw-8d13aa07";
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + KAFKA_USER
          + "\" password=\"" + KAFKA_PASSWORD + "\";";
  private static final Pattern MOBILE_IN_TEXT = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");

  private static EmbeddedKafka kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.startWithPlainUsers(Map.of(KAFKA_USER, KAFKA_PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theStreamingJobKeepsIdsAndCredentialsOutOfEveryOutput() throws Exception {
    IoNames names = IoNames.defaultNames().with("inputTopic", "privacy_in").with("deadLetterTopic", "privacy_dead");
    StallConfig config = StallConfig.defaults();
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(names.inputTopic(), 2);
    topics.put(names.deadLetterTopic(), 1);
    config.routes().forEach(r -> topics.put(r.topic(), 1));
    kafka.createTopics(topics);

    // the journeys generate will send, for the model and the checks
    List<Map<String, String>> rows =
        JourneyGenerator.builder().seed(5).applicants(200).firstDay(LocalDate.of(2024, 3, 20)).days(1).zone(ZONE).build().rows();
    Set<String> ids = new TreeSet<>();
    Set<String> mobiles = new TreeSet<>();
    List<RawRow> valid = new ArrayList<>();
    Random random = new Random(5);
    for (Map<String, String> r : rows) {
      ids.add(r.get("id_no"));
      mobiles.add(r.get("mobile_tel"));
      valid.add(RawRow.json("kafka", JourneyGenerator.toJson(r, random)));
    }

    // the database: its password is known to the test (a file) and to the job (the environment)
    Path passwordFile = tmp.resolve("jdbc.password");
    Files.writeString(passwordFile, JDBC_PASSWORD + "\n");
    String url = "jdbc:h2:file:" + tmp.resolve("db").resolve("privacy") + ";MODE=Oracle;AUTO_SERVER=TRUE";
    JdbcSettings jdbc = JdbcSettings.builder(url).user("sa").passwordFile(passwordFile.toString()).build();
    TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
    List<String> blacklisted = new ArrayList<>(ids).subList(0, 10);
    try (Connection c = jdbc.connect();
        PreparedStatement black = c.prepareStatement("INSERT INTO " + names.blacklistTable() + " (ID_NO, MOBILE_TEL) VALUES (?, NULL)");
        Statement s = c.createStatement()) {
      for (String id : blacklisted) {
        black.setString(1, id);
        black.executeUpdate();
      }
      s.execute("INSERT INTO " + names.channelTable() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES ('14781', '同花顺')");
    }
    ReferenceModel.Result expected =
        ReferenceModel.of(config)
            .withBlacklist(Blacklist.of(blacklisted, List.of()))
            .withChannels(ChannelNames.of(Map.of("14781", "同花顺")))
            .run(valid);

    // generate: the Kafka password only in an environment variable the properties file names
    Path envProperties = tmp.resolve("kafka-env.properties");
    Files.writeString(
        envProperties,
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=${env:STALLWATCH_TEST_KAFKA_JAAS}\n");
    List<String> generateArgs =
        List.of(
            "generate", "--bootstrapServers=" + kafka.saslBootstrapServers(), "--topic=" + names.inputTopic(),
            "--applicants=200", "--seed=5", "--days=1", "--firstDay=2024-03-20", "--speed=200000",
            "--kafkaProperties=" + envProperties);
    Path generateLog = tmp.resolve("generate.log");
    Process generate = launch(generateLog, Map.of("STALLWATCH_TEST_KAFKA_JAAS", JAAS), generateArgs);
    assertTrue(generate.waitFor(120, TimeUnit.SECONDS), "generate ends");
    assertEquals(0, generate.exitValue(), Files.readString(generateLog));
    assertEquals(rows.size(), readAll(names.inputTopic()).size(), "generate logged in with the password from the environment");

    // malformed messages made from the same rows, with their id numbers (none of a megabyte: the
    // topic keeps the broker's default size limit; BadInputFuzzIT sends those)
    BadInputs bad = new BadInputs(9, BadInputs.Format.KAFKA, 0);
    int malformed = 300;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < malformed; i++) {
        sent.add(producer.send(new ProducerRecord<>(names.inputTopic(), bad.next(rows.get(random.nextInt(rows.size()))).bytes)));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get();
      }
    }

    // run: the Kafka password only in its properties file, the database's only in the environment
    Path fileProperties = tmp.resolve("kafka.properties");
    Files.writeString(fileProperties, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=" + JAAS + "\n");
    List<String> runArgs =
        List.of(
            "run", "--bootstrapServers=" + kafka.saslBootstrapServers(), "--kafkaProperties=" + fileProperties,
            "--inputTopic=" + names.inputTopic(), "--deadLetterTopic=" + names.deadLetterTopic(),
            "--jdbcUrl=" + url, "--jdbcUser=sa", "--simulatedStart=2024-03-22T00:00:00", "--simulatedSpeed=1",
            "--maxOutOfOrderness=120", "--idleAfter=3", "--parallelism=2");
    Path runLog = tmp.resolve("run.log");
    Process run = launch(runLog, Map.of("STALLWATCH_JDBC_PASSWORD", JDBC_PASSWORD), runArgs);
    List<String> alerts = new ArrayList<>();
    List<String> dead;
    List<String> audit;
    try {
      long until = System.currentTimeMillis() + 150_000;
      while (true) {
        assertTrue(run.isAlive(), "the job stopped:\n" + tail(runLog));
        alerts.clear();
        config.routes().forEach(r -> alerts.addAll(readAll(r.topic())));
        dead = readAll(names.deadLetterTopic());
        try {
          audit = table(jdbc, names.auditTable());
        } catch (java.sql.SQLException e) {
          // H2's AUTO_SERVER hands the file between this process and the job's; while it does, a
          // connection can be refused ("Lock file recently modified"): read again at the next turn
          audit = List.of();
        }
        if (alerts.size() >= expected.alerts.size() && dead.size() >= malformed && audit.size() >= expected.alerts.size()) {
          break;
        }
        assertTrue(System.currentTimeMillis() < until,
            "alerts " + alerts.size() + "/" + expected.alerts.size() + ", dead letters " + dead.size() + ", audit " + audit.size()
                + " after 150 s:\n" + tail(runLog));
        Thread.sleep(2_000);
      }
    } finally {
      run.destroy();
      if (!run.waitFor(30, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
    assertEquals(AlertJson.canonicalAlerts(expected.alerts), AlertJson.canonical(alerts), "the job logged in to Kafka and worked");
    assertEquals(expected.alerts.size(), audit.size(), "the job logged in to the database");

    String runOutput = Files.readString(runLog, StandardCharsets.UTF_8);
    String generateOutput = Files.readString(generateLog, StandardCharsets.UTF_8);
    assertTrue(runOutput.contains("ConsumerConfig values") && runOutput.contains("sasl.jaas.config = [hidden]"),
        "the check reads INFO logs, where Kafka's clients show their settings");
    for (List<String> argv : List.of(generateArgs, runArgs)) {
      assertNoSecret("a command line", String.join(" ", argv));
    }
    assertNoSecret("run's output", runOutput);
    assertNoSecret("generate's output", generateOutput);
    assertNoId("run's output", runOutput, ids);
    assertNoId("generate's output", generateOutput, ids);
    assertMobilesOnlyMasked("run's output", runOutput, mobiles);
    assertMobilesOnlyMasked("generate's output", generateOutput, mobiles);
    for (String topic : List.of(config.routes().get(0).topic(), config.routes().get(1).topic(), names.deadLetterTopic())) {
      String all = String.join("\n", readAll(topic));
      assertNoSecret("topic " + topic, all);
      assertNoId("topic " + topic, all, ids);
      if (topic.equals(names.deadLetterTopic())) {
        for (String d : readAll(topic)) {
          BadInputFuzzIT.assertIdValuesMasked(topic, AlertJson.fields(d).get("raw"));
        }
      }
    }
    String auditText = String.join("\n", audit);
    assertNoSecret("the audit table", auditText);
    assertNoId("the audit table", auditText, ids);
    System.out.printf("PrivacyIT: run gave %d alerts, %d dead letters, %d audit rows; %d lines of output checked%n",
        alerts.size(), dead.size(), audit.size(), runOutput.lines().count() + generateOutput.lines().count());
  }

  @Test
  void theBackfillKeepsIdsOutOfItsFilesAndLog() throws Exception {
    List<Map<String, String>> rows =
        JourneyGenerator.builder().seed(6).applicants(150).firstDay(LocalDate.of(2024, 3, 20)).days(1).build().rows();
    Set<String> ids = new TreeSet<>();
    Set<String> mobiles = new TreeSet<>();
    Path input = Files.createDirectories(tmp.resolve("in"));
    Random random = new Random(6);
    BadInputs csvBad = new BadInputs(6, BadInputs.Format.CSV, 1);
    BadInputs jsonBad = new BadInputs(7, BadInputs.Format.JSONL, 1);
    try (OutputStream csv = Files.newOutputStream(input.resolve("dump.csv"));
        OutputStream jsonl = Files.newOutputStream(input.resolve("dump.jsonl"))) {
      csv.write((JourneyGenerator.csvHeader() + "\n").getBytes(StandardCharsets.UTF_8));
      for (Map<String, String> r : rows) {
        ids.add(r.get("id_no"));
        mobiles.add(r.get("mobile_tel"));
        csv.write((JourneyGenerator.toCsv(r) + "\n").getBytes(StandardCharsets.UTF_8));
        jsonl.write((JourneyGenerator.toJson(r, random) + "\n").getBytes(StandardCharsets.UTF_8));
        csvBad.passedValidLine();
        if (random.nextInt(3) == 0) {
          csv.write(csvBad.next(r).bytes);
          csv.write('\n');
          jsonl.write(jsonBad.next(r).bytes);
          jsonl.write('\n');
        }
      }
    }
    Path output = tmp.resolve("out");
    Path log = tmp.resolve("backfill.log");
    List<String> args =
        List.of("backfill", "--input=" + input + "/dump.*", "--output=" + output, "--runner=FlinkRunner", "--parallelism=2");
    Process backfill = launch(log, Map.of(), args);
    assertTrue(backfill.waitFor(180, TimeUnit.SECONDS), "backfill ends");
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, backfill.exitValue(), printed);
    List<String> alerts = Conformance.outputLines(output, "alerts");
    List<String> dead = Conformance.outputLines(output, "dead-letter");
    assertTrue(alerts.size() > 20 && dead.size() > 50, "alerts " + alerts.size() + ", dead letters " + dead.size());
    assertNoId("the alert files", String.join("\n", alerts), ids);
    assertNoId("the dead-letter files", String.join("\n", dead), ids);
    assertNoId("backfill's output", printed, ids);
    assertMobilesOnlyMasked("backfill's output", printed, mobiles);
    System.out.printf("PrivacyIT: backfill read %d rows, %d dead letters, %d lines of output checked%n",
        2 * rows.size(), dead.size(), printed.lines().count());
  }

  // ---------------------------------------------------------------- checks

  private static void assertNoSecret(String where, String text) {
    assertFalse(text.contains(KAFKA_PASSWORD), "the Kafka password in " + where);
    assertFalse(text.contains(JDBC_PASSWORD), "the database password in " + where);
  }

  private static void assertNoId(String where, String text, Set<String> ids) {
    assertFalse(BadInputFuzzIT.containsAnId(text, ids), "an id_no in " + where);
  }

  /** A mobile of the traffic may appear in a log only as 138****1234. */
  private static void assertMobilesOnlyMasked(String where, String text, Set<String> mobiles) {
    Matcher m = MOBILE_IN_TEXT.matcher(text);
    while (m.find()) {
      assertFalse(mobiles.contains(m.group()), "an unmasked mobile in " + where + ": " + m.group());
    }
  }

  // ---------------------------------------------------------------- processes, topics, tables

  /** Starts the bundled jar with {@code args}, output and errors into {@code log}, logging at INFO. */
  private static Process launch(Path log, Map<String, String> env, List<String> args) throws IOException {
    Path root = Path.of(System.getProperty("stallwatch.root", ".."));
    Path jar = root.resolve("runners/target/stallwatch-bundled.jar");
    if (!Files.exists(jar)) {
      jar = Path.of("target/stallwatch-bundled.jar");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    for (String module : List.of("java.lang", "java.util", "java.lang.reflect", "java.nio", "java.time", "java.io")) {
      command.add("--add-opens=java.base/" + module + "=ALL-UNNAMED");
    }
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-Dorg.slf4j.simpleLogger.log.dev.stallwatch=debug");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("STALLWATCH_JDBC_PASSWORD");
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("enable.idempotence", "true");
    p.put("max.request.size", "4194304");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static List<String> readAll(String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    props.put("group.id", "check-" + System.nanoTime());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long until = System.currentTimeMillis() + 5_000;
      while (System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, String> r : c.poll(java.time.Duration.ofMillis(300))) {
          values.add(r.value() == null ? "" : r.value());
        }
        if (!c.assignment().isEmpty()
            && c.assignment().stream().allMatch(tp -> c.position(tp) >= c.endOffsets(List.of(tp)).get(tp))) {
          break;
        }
      }
    }
    return values;
  }

  /** Every row of {@code table}, all columns joined. */
  private static List<String> table(JdbcSettings jdbc, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          sb.append(r.getString(i)).append('|');
        }
        rows.add(sb.toString());
      }
    }
    return rows;
  }
}
