package dev.stallwatch.runners;

import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone Flink session cluster of {@code runners/flink-cluster}, as a test drives it: the
 * same script a user runs, so a JobManager and TaskManagers in processes of their own, with
 * Flink's jars only on their class path, on free ports and in a directory of the test's own.
 */
final class LocalFlinkCluster implements AutoCloseable {
  /** The script, from the runners module's directory (where Maven runs the tests). */
  private static final Path SCRIPT = Path.of("flink-cluster").toAbsolutePath();

  /** The bundled job jar, built in the package phase before the integration tests run. */
  static final Path JOB_JAR = Path.of("target", "stallwatch-bundled.jar").toAbsolutePath();

  private final Path home;
  private final int restPort;
  private final int rpcPort;

  private LocalFlinkCluster(Path home, int restPort, int rpcPort) {
    this.home = home;
    this.restPort = restPort;
    this.rpcPort = rpcPort;
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers and waits until they are up. */
  static LocalFlinkCluster start(Path home, int taskManagers) throws IOException, InterruptedException {
    LocalFlinkCluster cluster = new LocalFlinkCluster(home, freePort(), freePort());
    // the processes outlive this JVM unless stopped: stop them even when the test run is cut short
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.close();
      } catch (Exception e) {
        // the JVM is going down; nothing more can be done
      }
    }));
    Result started = cluster.script(Duration.ofMinutes(5), "start", Integer.toString(taskManagers));
    if (started.exit != 0) {
      throw new IllegalStateException("the cluster did not start: " + started.output);
    }
    return cluster;
  }

  /** The REST endpoint, as {@code --flinkMaster} takes it. */
  String master() {
    return "127.0.0.1:" + restPort;
  }

  /** Where the cluster keeps its configuration (for {@code --flinkConfDir}). */
  Path confDir() {
    return home.resolve("conf");
  }

  /** Flink's command line ({@code flink run ...}) against this cluster. */
  Result flink(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("flink"));
    all.addAll(List.of(args));
    return script(timeout, all.toArray(new String[0]));
  }

  /** {@code kill -9} of {@code jobmanager} or {@code taskmanager-N}. */
  void kill(String process) throws IOException, InterruptedException {
    check(script(Duration.ofSeconds(30), "kill", process));
  }

  /** Starts one more TaskManager. */
  void addTaskManager() throws IOException, InterruptedException {
    check(script(Duration.ofSeconds(60), "taskmanager"));
  }

  /** A GET of the REST API, e.g. {@code /jobs/overview}: the response body. */
  String rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + master() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** A log of the cluster's ({@code jobmanager}, {@code taskmanager-1}, ...), for a failing test. */
  String log(String process) throws IOException {
    Path log = home.resolve("log").resolve(process + ".log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script(Duration.ofMinutes(1), "stop");
  }

  /** What a command printed and how it ended. */
  static final class Result {
    final int exit;
    final String output;

    Result(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  private static void check(Result r) {
    if (r.exit != 0) {
      throw new IllegalStateException(r.output);
    }
  }

  private Result script(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("STALLWATCH_FLINK_HOME", home.toString());
    env.put("FLINK_REST_PORT", Integer.toString(restPort));
    env.put("FLINK_RPC_PORT", Integer.toString(rpcPort));
    Path output = Files.createTempFile(home.getParent(), "flink-cluster", ".out");
    pb.redirectOutput(output.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", args) + " did not end in " + timeout + ": " + Files.readString(output));
    }
    return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
