package dev.stallwatch.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker (KRaft: broker and controller in one process) on loopback, with its
 * log in a temporary directory that is deleted on {@link #close}. It backs the embedded default of
 * {@code stallwatch run} and the integration tests: a real broker, with transactions and
 * read-committed consumers, not a mock. {@link #stop} and {@link #resume} take it down and bring it
 * back on the same port with the same log, as a broker restart in production would, so tests can
 * hold clients to what they do while it is away.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final TemporaryDirectory dir;
  private final int port;
  private final int saslPort;
  private final KafkaConfig config;
  private KafkaRaftServer server;

  private EmbeddedKafka(TemporaryDirectory dir, int port, int saslPort, KafkaConfig config) {
    this.dir = dir;
    this.port = port;
    this.saslPort = saslPort;
    this.config = config;
  }

  /** Formats a fresh log directory and starts the broker; returns once it accepts clients. */
  public static EmbeddedKafka start() throws IOException {
    return start(Map.of());
  }

  /**
   * A broker that also has a SASL/PLAIN listener ({@link #saslBootstrapServers}) accepting {@code
   * users} (name to password), so that tests can show credentials reach the clients. The plain
   * listener stays open for the tests' own clients.
   */
  public static EmbeddedKafka startWithPlainUsers(Map<String, String> users) throws IOException {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("no SASL users");
    }
    return start(users);
  }

  private static EmbeddedKafka start(Map<String, String> saslUsers) throws IOException {
    TemporaryDirectory dir = TemporaryDirectory.create("stallwatch-kafka");
    int port = freePort();
    int controllerPort = freePort();
    int saslPort = saslUsers.isEmpty() ? 0 : freePort();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String sasl = saslUsers.isEmpty() ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + sasl + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + sasl);
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (saslUsers.isEmpty() ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT"));
    if (!saslUsers.isEmpty()) {
      p.put("sasl.enabled.mechanisms", "PLAIN");
      StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      saslUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
      p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    }
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.path().toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.messages", "100000");
    KafkaConfig config = KafkaConfig.fromProps(p, false);
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .addDirectory(dir.path().toString())
          .setMetadataLogDirectory(dir.path().toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      dir.close();
      throw new IOException("cannot format the embedded Kafka log directory " + dir.path() + ": " + e.getMessage(), e);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(dir, port, saslPort, config);
    try {
      kafka.resume();
    } catch (IOException | RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /**
   * Shuts the broker down (a controlled shutdown, as {@code kafka-server-stop} does), keeping its
   * log directory and port for {@link #resume}. Clients see the broker gone until then.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
    }
  }

  /**
   * Starts the broker on its port and log directory (first start, or again after {@link #stop});
   * returns once it accepts clients. Topics, committed offsets, transactions and consumer groups
   * are where the log left them.
   */
  public synchronized void resume() throws IOException {
    if (server != null) {
      return;
    }
    KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
    server = started;
    try {
      started.startup();
    } catch (RuntimeException e) {
      stop();
      throw new IOException("the embedded Kafka broker did not start on port " + port + ": " + e.getMessage(), e);
    }
    awaitReady();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The SASL/PLAIN listener of a broker started with {@link #startWithPlainUsers}. */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException("this broker has no SASL listener");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** Creates {@code topics} (name to partition count) that do not exist yet. */
  public void createTopics(Map<String, Integer> topics) throws IOException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      List<NewTopic> wanted =
          topics.entrySet().stream()
              .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
              .collect(Collectors.toList());
      try {
        admin.createTopics(wanted).all().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IOException("cannot create topics " + topics.keySet() + ": " + e.getCause().getMessage(), e);
        }
      }
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot create topics " + topics.keySet() + ": " + e, e);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.currentTimeMillis() + 60_000;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.currentTimeMillis() > deadline) {
            stop();
            throw new IOException("the embedded Kafka broker did not start within 60 s: " + e.getMessage(), e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IOException("interrupted while the embedded Kafka broker started", e);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      dir.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
