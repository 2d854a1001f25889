package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.stall.StallGraph;
import dev.stallwatch.pipeline.stall.StreamingJob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka credentials reach the clients from the properties file or the environment, and the job
 * graph holds only where they are.
 */
class KafkaPropertiesTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"sw\" password=\"kafka-S3cret-jaas\";";
  private static final String TRUST = "kafka-S3cret-truststore";

  @TempDir Path tmp;

  private Path propertiesFile() throws IOException {
    Path file = tmp.resolve("kafka.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=" + JAAS.replace("\\", "\\\\") + "\n"
            + "ssl.truststore.location=/etc/stallwatch/truststore.jks\n"
            + "ssl.truststore.password=" + TRUST + "\n"
            + "ssl.keystore.password=${env:PATH}\n",
        StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void secretsBecomeReferencesToTheFileAndOtherSettingsPassThrough() throws IOException {
    Path file = propertiesFile();
    Map<String, Object> config = KafkaClientConfig.fromFile(file.toString());
    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("PLAIN", config.get("sasl.mechanism"));
    assertEquals("/etc/stallwatch/truststore.jks", config.get("ssl.truststore.location"));
    assertEquals("${file:" + file.toAbsolutePath() + ":sasl.jaas.config}", config.get("sasl.jaas.config"));
    assertEquals("${file:" + file.toAbsolutePath() + ":ssl.truststore.password}", config.get("ssl.truststore.password"));
    assertEquals("${env:PATH}", config.get("ssl.keystore.password"));
    assertFalse(config.toString().contains("S3cret"), config.toString());
  }

  /** Kafka's own client configuration resolves the references: from the file, and from the environment. */
  @Test
  void theKafkaClientsReadTheSecretsWhereTheyAre() throws IOException {
    Map<String, Object> config = new HashMap<>(KafkaClientConfig.fromFile(propertiesFile().toString()));
    config.put("bootstrap.servers", "127.0.0.1:9");
    config.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    ConsumerConfig consumer = new ConsumerConfig(config);
    assertEquals(JAAS, consumer.getPassword("sasl.jaas.config").value());
    assertEquals(TRUST, consumer.getPassword("ssl.truststore.password").value());
    assertEquals(System.getenv("PATH"), consumer.getPassword("ssl.keystore.password").value());
    Map<String, Object> producer = new HashMap<>(KafkaSinks.producerConfig(KafkaClientConfig.fromFile(propertiesFile().toString())));
    producer.put("bootstrap.servers", "127.0.0.1:9");
    producer.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    producer.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    assertEquals(JAAS, new ProducerConfig(producer).getPassword("sasl.jaas.config").value());
  }

  /**
   * KafkaIO shows every client setting as display data (and serializes it with the job): what the
   * streaming job's graph shows holds the references, never the secrets. The same graph built from
   * the literal settings would show them, so the check looks in the right place.
   */
  @Test
  void theJobGraphHoldsNoSecret() throws IOException {
    Map<String, Object> referenced = KafkaClientConfig.fromFile(propertiesFile().toString());
    String shown = displayData(referenced);
    assertTrue(shown.contains("${file:"), shown);
    assertFalse(shown.contains("S3cret"), shown);
    Map<String, Object> literal = new HashMap<>(referenced);
    literal.put("sasl.jaas.config", JAAS);
    assertTrue(displayData(literal).contains("kafka-S3cret-jaas"));
  }

  private static String displayData(Map<String, Object> kafkaClient) {
    RunOptions options =
        PipelineOptionsFactory.fromArgs("--bootstrapServers=127.0.0.1:9", "--maxOutOfOrderness=30", "--idleAfter=10")
            .as(RunOptions.class);
    Pipeline pipeline =
        StreamingJob.create(
            options,
            JobConfig.defaults(),
            new StreamingJob.Io("127.0.0.1:9", IoNames.defaultNames(), kafkaClient, SimulatedClock.system()),
            p -> StallGraph.Dimensions.fixed(p, Blacklist.empty(), ChannelNames.empty()),
            null);
    StringBuilder sb = new StringBuilder();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              sb.append(DisplayData.from(node.getTransform())).append('\n');
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            sb.append(DisplayData.from(node.getTransform())).append('\n');
          }
        });
    return sb.toString();
  }

  @Test
  void aFileWhosePathCannotBeReferencedIsRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("a:b"));
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "sasl.jaas.config=x\n", StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KafkaClientConfig.fromFile(file.toString()));
    assertTrue(e.getMessage().contains("must not contain"), e.getMessage());
  }

  @Test
  void secretSettingsAreRecognisedByName() {
    for (String key : new String[] {"sasl.jaas.config", "ssl.key.password", "ssl.keystore.key", "basic.auth.user.info",
        "sasl.oauthbearer.client.credentials.client.secret", "ssl.truststore.password",
        "sasl.oauthbearer.assertion.private.key.passphrase", "sasl.oauthbearer.assertion.private.key.file"}) {
      assertTrue(KafkaClientConfig.isSecret(key), key);
    }
    for (String key : new String[] {"security.protocol", "sasl.mechanism", "key.serializer", "key.deserializer",
        "key.subject.name.strategy", "ssl.keystore.location", "ssl.keymanager.algorithm"}) {
      assertFalse(KafkaClientConfig.isSecret(key), key);
    }
  }
}
