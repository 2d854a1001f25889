package dev.stallwatch.runners;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

  private static final String COUNTER_PREFIX = "stallwatch_";
  private static final Pattern VERTEX = Pattern.compile("\"id\":\"([0-9a-f]{32})\"");
  private static final Pattern METRIC_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  private static final Pattern METRIC_SUM = Pattern.compile("\"id\":\"([^\"]+)\",\"sum\":([-0-9.E]+)");

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

  /** Starts the JobManager again (after {@link #kill} of {@code jobmanager}) and waits for its REST API. */
  void restartJobManager() throws IOException, InterruptedException {
    check(script(Duration.ofMinutes(2), "jobmanager"));
  }

  /**
   * The job's latest complete retained checkpoint ({@code chk-N} with its {@code _metadata}) under
   * the cluster's checkpoint directory, as {@code flink run -s} takes it.
   */
  Path latestCheckpoint(String jobId) throws IOException {
    Path dir = home.resolve("checkpoints").resolve(jobId);
    try (Stream<Path> chks = Files.list(dir)) {
      return chks.filter(p -> p.getFileName().toString().matches("chk-[0-9]+") && Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))))
          .orElseThrow(() -> new IllegalStateException("no complete checkpoint of job " + jobId + " in " + dir));
    }
  }

  /** Where {@code flink stop --savepointPath} puts savepoints. */
  Path savepoints() {
    return home.resolve("savepoints");
  }

  /**
   * StallWatch's counters of a running job as the REST API gives them: each counter named as Flink
   * shows it ({@code stallwatch_rows_read}, {@code stallwatch_alerts_cc}, ...), summed over the
   * operators and subtasks that keep it. Flink registers a counter once it is first incremented,
   * and refreshes what the REST API shows every few seconds.
   */
  Map<String, Long> counters(String jobId) throws IOException, InterruptedException {
    Map<String, Long> counters = new TreeMap<>();
    Set<String> vertices = new LinkedHashSet<>();
    Matcher v = VERTEX.matcher(rest("/jobs/" + jobId));
    while (v.find()) {
      vertices.add(v.group(1));
    }
    for (String vertex : vertices) {
      String base = "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics";
      List<String> names = new ArrayList<>();
      Matcher id = METRIC_ID.matcher(rest(base));
      while (id.find()) {
        if (id.group(1).contains("." + COUNTER_PREFIX)) {
          names.add(id.group(1));
        }
      }
      if (names.isEmpty()) {
        continue;
      }
      String get = names.stream().map(n -> URLEncoder.encode(n, StandardCharsets.UTF_8)).collect(Collectors.joining(","));
      Matcher sum = METRIC_SUM.matcher(rest(base + "?agg=sum&get=" + get));
      while (sum.find()) {
        String name = sum.group(1).substring(sum.group(1).lastIndexOf("." + COUNTER_PREFIX) + 1);
        counters.merge(name, (long) Double.parseDouble(sum.group(2)), Long::sum);
      }
    }
    return counters;
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
