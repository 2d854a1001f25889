package dev.stallwatch.pipeline.search;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A real, throwaway OpenSearch node for integration tests: the OpenSearch server of the Maven
 * artifacts ({@code org.opensearch:opensearch}, with the Netty 4 HTTP transport of {@code
 * transport-netty4-client} as a class-path plugin), run by {@link #main} in a child JVM of this one
 * on free ports of 127.0.0.1, with its home, data and logs in a temporary directory. It is a
 * single-node cluster without the security plugin (plain HTTP, no users) and without the Java
 * security manager. Closing it stops the child and deletes the directory; a shutdown hook does the
 * same, and the child stops by itself when this JVM dies (it waits for the end of its standard
 * input, which is this JVM's pipe).
 *
 * <p>Why a child JVM: the node installs its own logging, thread pools and JNA look-ups, which must
 * not leak into the test JVM and its Beam pipelines; and a stuck node can be killed.
 *
 * <p>Why not the distribution's {@code org.opensearch.bootstrap.OpenSearch}: it wants an installed
 * home (modules directory with plugin descriptors, jvm.options, a policy for the security manager);
 * {@link Node} with a class-path plugin needs only settings.
 */
public final class OpenSearchNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread cleanup;

  private OpenSearchNode(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.cleanup = new Thread(this::stopQuietly, "stop-test-opensearch");
  }

  /** Starts a node and waits until its HTTP port answers with a cluster that is at least yellow. */
  public static OpenSearchNode start() throws IOException {
    Path dir = Files.createTempDirectory("stallwatch-opensearch");
    int httpPort = freePort();
    int transportPort = freePort();
    Path log = dir.resolve("node.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms256m");
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; the node serves a handful of requests
    command.add("-Djava.awt.headless=true");
    command.add("-Dlog4j2.disable.jmx=true");
    command.add("-Dlog4j.shutdownHookEnabled=false");
    command.add("-Dopensearch.set.netty.runtime.available.processors=false");
    command.add("-cp");
    command.add(classPath());
    command.add(OpenSearchNode.class.getName());
    command.add(dir.toString());
    command.add(Integer.toString(httpPort));
    command.add(Integer.toString(transportPort));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    OpenSearchNode node = new OpenSearchNode(dir, httpPort, p);
    Runtime.getRuntime().addShutdownHook(node.cleanup);
    try {
      node.awaitReady(log);
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** The class path of this test JVM: Surefire/Failsafe's real one, else {@code java.class.path}. */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  private void awaitReady(Path log) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI health = URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the OpenSearch node exited with " + process.exitValue() + " before it answered: " + tail(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the OpenSearch node", e);
      }
      sleep(200);
    }
    throw new IOException(
        "the OpenSearch node did not answer on port " + port + " within " + START_TIMEOUT.toSeconds() + " s: " + tail(log));
  }

  /** The node's HTTP address, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The node's directory (home, data, logs and the child's output in {@code node.log}). */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // shutting down already: the hook runs
    }
  }

  private synchronized void stopQuietly() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The child JVM: {@code OpenSearchNode <dir> <httpPort> <transportPort>} runs a node until its
   * standard input ends (the parent died or closed it) or it is killed.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Settings settings =
        Settings.builder()
            .put("cluster.name", "stallwatch-test")
            .put("node.name", "stallwatch-test-node")
            .put("path.home", dir.toString())
            .put("path.data", dir.resolve("data").toString())
            .put("path.logs", dir.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[1])
            .put("transport.port", args[2])
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .put("discovery.type", "single-node")
            // the test machine's disk may be fuller than the default watermarks allow
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", false)
            .put("node.processors", 2)
            .build();
    LogConfigurator.configureWithoutConfig(settings);
    Environment env =
        InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), null, () -> "stallwatch-test-node");
    Node node = new TestNode(env, List.of(Netty4Plugin.class));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (IOException e) {
                    // exiting anyway
                  }
                },
                "close-opensearch-node"));
    node.start();
    System.out.println("OpenSearch node started on http://127.0.0.1:" + args[1]);
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // the parent writes nothing; the end of the stream means it is gone
    }
    System.exit(0);
  }

  /** A node with class-path plugins, which {@link Node}'s public constructor does not take. */
  private static final class TestNode extends Node {
    TestNode(Environment env, List<Class<? extends Plugin>> plugins) {
      super(env, plugins, true);
    }
  }
}
