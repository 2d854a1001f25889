package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.parse.DimensionCsv;
import dev.stallwatch.pipeline.StallWatch;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming job on the Flink runner against a real, in-process Kafka broker: generated
 * journeys produced to the change-stream topic come out on the route topics (read committed) as
 * exactly the model's alerts, and every bad message is on the dead-letter topic with its
 * topic/partition/offset.
 */
class KafkaStreamingIT {
  private static final String INPUT = "rt_crhkh_crh_wskh_userqueryextinfo";
  private static final String DEAD = "stallwatch_dead_letter";
  private static KafkaClusterTestKit kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Path samples() {
    return Path.of(System.getProperty("stallwatch.root", ".")).resolve("src/samples");
  }

  @Test
  void journeysOnTheTopicBecomeTheModelsAlertsOnTheRouteTopics() throws Exception {
    StallConfig config = StallConfig.defaults();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      topics.add(new NewTopic(INPUT, 2, (short) 1));
      topics.add(new NewTopic(DEAD, 1, (short) 1));
      config.routes().forEach(r -> topics.add(new NewTopic(r.topic(), 1, (short) 1)));
      admin.createTopics(topics).all().get();
    }

    JourneyGenerator generator =
        JourneyGenerator.builder().seed(3).applicants(120).badRowRate(0.03).build();
    Random random = new Random(3);
    List<RawRow> rows = new ArrayList<>();
    List<byte[]> messages = new ArrayList<>();
    for (Map<String, String> row : generator.rows()) {
      String json = JourneyGenerator.toJson(row, random);
      rows.add(RawRow.json("kafka", json));
      messages.add(json.getBytes(StandardCharsets.UTF_8));
    }
    // two messages that are not JSON rows at all: bytes that are not UTF-8, and an array
    messages.add(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});
    messages.add("[1, 2]".getBytes(StandardCharsets.UTF_8));
    Properties producer = new Properties();
    producer.put("bootstrap.servers", kafka.bootstrapServers());
    producer.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < messages.size(); i++) {
        p.send(new ProducerRecord<>(INPUT, i % 2, null, messages.get(i)));
      }
      p.flush();
    }

    ReferenceModel.Result expected =
        ReferenceModel.of(config)
            .withBlacklist(DimensionCsv.blacklist(Conformance.lines(samples().resolve("blacklist.csv")), "blacklist"))
            .withChannels(DimensionCsv.channels(Conformance.lines(samples().resolve("channels.csv")), "channels"))
            .run(rows);
    assertTrue(expected.alerts.size() > 20 && !expected.deadLetters.isEmpty());

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new StallWatch(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "run",
                  "--bootstrapServers=" + kafka.bootstrapServers(),
                  "--runner=FlinkRunner",
                  "--parallelism=2",
                  "--maxRecords=" + messages.size(),
                  "--blacklist=" + samples().resolve("blacklist.csv"),
                  "--channels=" + samples().resolve("channels.csv")
                });
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

    List<String> alerts = new ArrayList<>();
    for (var route : config.routes()) {
      alerts.addAll(readCommitted(route.topic()));
    }
    assertEquals(AlertJson.canonicalAlerts(expected.alerts), AlertJson.canonical(alerts));

    List<String> dead = readCommitted(DEAD);
    assertEquals(expected.deadLetters.size() + 2, dead.size());
    for (String d : dead) {
      assertTrue(AlertJson.fields(d).get("origin").matches(INPUT + "/[01]/\\d+"), d);
    }
  }

  private static List<String> readCommitted(String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    props.put("group.id", "check-" + topic + "-" + System.nanoTime());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      int emptyPolls = 0;
      while (emptyPolls < 3) {
        var records = c.poll(Duration.ofSeconds(1));
        if (records.isEmpty()) {
          emptyPolls++;
        }
        for (ConsumerRecord<String, String> r : records) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
