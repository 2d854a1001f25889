package dev.stallwatch.bench;

import dev.stallwatch.pipeline.cli.StallWatch;
import dev.stallwatch.pipeline.cli.UsageException;
import dev.stallwatch.text.JsonReader;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code stallwatch bench}: one generated dump, every contender on it in a JVM of its own, one
 * table. Contenders: {@code model} (SPEC.md in plain single-threaded Java: the floor), {@code
 * flink} (the backfill on the Flink runner), {@code flink-windows} (the same with {@code
 * --engine=windows}: the streaming job's session-window graph in batch), {@code spark} (the backfill on the Spark runner, in
 * {@code local[WORKERS]}, from the Spark jar), {@code sql} (the original Flink SQL design, jobs
 * 1–4, on the same Flink) and {@code direct} (the backfill on the direct runner, on a slice). The table
 * goes to standard output and, as {@code bench.csv} and {@code bench.json}, to the results
 * directory; whether each contender's alerts equal SPEC.md's is checked against the model's. Each
 * contender but the SQL peer also runs on a dump of no rows, so that the table gives the figure a
 * user sees (the whole process) and the figure once started (less that fixed cost).
 */
public final class Bench implements dev.stallwatch.pipeline.cli.Command {
  private static final List<String> CONTENDERS = List.of("model", "flink", "flink-windows", "spark", "sql", "direct");
  /** Where the launcher says the Spark jar is: the Spark contender runs from it, not from this jar. */
  static final String SPARK_JAR = "stallwatch.sparkJar";
  /** The heap the launcher gives a command with {@code --runner=FlinkRunner}; the Flink contenders get it. */
  static final String FLINK_HEAP = "stallwatch.flinkHeap";
  private static final double ROWS_PER_APPLICANT = 7.01; // the generator's mean

  @Override
  public String summary() {
    return "time the backfill on Flink, Spark and direct, the Flink SQL original and a plain-Java floor";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return BenchOptions.class;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    BenchOptions options = StallWatch.parseOptions(args, BenchOptions.class);
    List<String> contenders = contenders(options.getContenders());
    if (contenders.contains("spark")) {
      sparkJar();
    }
    if (options.getEvents() < 1000) {
      throw new UsageException("--events must be at least 1000");
    }
    int workers = options.getWorkers() > 0 ? options.getWorkers() : Runtime.getRuntime().availableProcessors();
    Path results = Path.of(options.getResults()).toAbsolutePath();
    try {
      return bench(options, contenders, workers, results, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> contenders(String list) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String c : list.split(",")) {
      String name = c.trim().toLowerCase(Locale.ROOT);
      if (!CONTENDERS.contains(name)) {
        throw new UsageException("--contenders: unknown contender '" + c + "' (choose from " + CONTENDERS + ")");
      }
      chosen.add(name);
    }
    return List.copyOf(chosen);
  }

  private int bench(
      BenchOptions options, List<String> contenders, int workers, Path results, PrintStream out, PrintStream err)
      throws IOException {
    Files.createDirectories(results);
    Path dump = results.resolve("dump.csv");
    int applicants = (int) Math.ceil(options.getEvents() / ROWS_PER_APPLICANT);
    err.printf("stallwatch bench: generating %,d applicants (seed %d) to %s%n", applicants, options.getSeed(), dump);
    int generated =
        new StallWatch(err, err)
            .run(
                new String[] {
                  "generate",
                  "--output=" + dump,
                  "--applicants=" + applicants,
                  "--seed=" + options.getSeed(),
                  "--days=" + options.getDays()
                });
    if (generated != 0) {
      err.println("stallwatch bench: could not generate the dump");
      return 1;
    }
    Path blacklist = writeBlacklist(dump, results.resolve("blacklist.csv"));
    Path empty = results.resolve("dump-no-rows.csv");
    try (BufferedReader r = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
      Files.writeString(empty, r.readLine() + "\n", StandardCharsets.UTF_8);
    }
    Path channels = results.resolve("channels.csv");
    try (InputStream in = Bench.class.getResourceAsStream("/dev/stallwatch/samples/channels.csv")) {
      Files.copy(in, channels, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    List<Row> rows = new ArrayList<>();
    Map<Path, AlertSets.Alerts> spec = new LinkedHashMap<>();
    for (String name : contenders) {
      Path input = dump;
      if (name.equals("direct") && options.getDirectEvents() > 0) {
        input = slice(dump, results.resolve("dump-direct.csv"), options.getDirectEvents());
      }
      Path dir = results.resolve(name);
      deleteTree(dir);
      err.printf("stallwatch bench: %s ...%n", name);
      long began = System.nanoTime();
      Map<?, ?> result = runContender(name, input, dir, workers, blacklist, channels, results.resolve(name + ".log"));
      double process = (System.nanoTime() - began) / 1e9;
      if (result == null) {
        err.printf("stallwatch bench: %s failed; see %s%n", name, results.resolve(name + ".log"));
        return 1;
      }
      Row row = new Row(name, workers, result);
      row.processSeconds = process;
      if (!name.equals("sql")) {
        // the fixed cost a user pays whatever the dump: the same process on a dump of no rows
        Path none = results.resolve(name + "-startup");
        deleteTree(none);
        began = System.nanoTime();
        Map<?, ?> idle = runContender(name, empty, none, workers, blacklist, channels, results.resolve(name + "-startup.log"));
        if (idle == null) {
          err.printf("stallwatch bench: %s on no rows failed; see %s%n", name, results.resolve(name + "-startup.log"));
          return 1;
        }
        row.startupSeconds = (System.nanoTime() - began) / 1e9;
      }
      row.alerts = AlertSets.read(dir);
      if (name.equals("model")) {
        spec.put(input, row.alerts);
      }
      row.input = input;
      rows.add(row);
      err.printf(
          "stallwatch bench: %s: %,d rows in %.1f s (the whole process %.1f s, of which start-up %s)%n",
          name, row.rows, row.seconds, row.processSeconds,
          Double.isNaN(row.startupSeconds) ? "not measured" : String.format("%.1f s", row.startupSeconds));
    }
    for (Row row : rows) {
      row.agreement = agreement(row, spec, results, blacklist, channels);
    }
    Table table = new Table(rows, machine(workers));
    out.print(table.text());
    table.write(results.resolve("bench.csv"), results.resolve("bench.json"));
    err.printf("stallwatch bench: wrote %s and %s%n", results.resolve("bench.csv"), results.resolve("bench.json"));
    return 0;
  }

  /**
   * How a contender's alerts compare with SPEC.md's for the same rows: StallWatch's must be equal
   * record for record; the Flink SQL peer is compared on whom it calls and when.
   */
  private static String agreement(
      Row row, Map<Path, AlertSets.Alerts> spec, Path results, Path blacklist, Path channels)
      throws IOException {
    if (row.name.equals("model")) {
      return "is SPEC (reference)";
    }
    AlertSets.Alerts expected = spec.get(row.input);
    if (expected == null) {
      Path dir = results.resolve("spec-" + row.input.getFileName());
      deleteTree(dir);
      BenchContender.model(row.input, dir, blacklist, channels);
      expected = AlertSets.read(dir);
      spec.put(row.input, expected);
    }
    if (row.name.equals("sql")) {
      long peerOnly = AlertSets.missingFrom(row.alerts.slots, expected.slots);
      long specOnly = AlertSets.missingFrom(expected.slots, row.alerts.slots);
      return String.format(
          "agrees on %d of SPEC's %d (route, mobile, occur time); %d only SPEC's; %d only the peer's",
          expected.count - specOnly, expected.count, specOnly, peerOnly);
    }
    long missing = AlertSets.missingFrom(expected.records, row.alerts.records);
    long extra = AlertSets.missingFrom(row.alerts.records, expected.records);
    return missing == 0 && extra == 0
        ? "equal to SPEC"
        : String.format("differs from SPEC: %d missing, %d unexpected", missing, extra);
  }

  /** The Spark jar, which the Spark contender runs from (Spark cannot share this jar's class path). */
  private static String sparkJar() {
    String jar = System.getProperty(SPARK_JAR);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new UsageException(
          "--contenders: spark runs from the Spark jar, "
              + (jar == null ? "and -D" + SPARK_JAR + "=JAR does not name it" : "and " + jar + " is missing")
              + " (runners/stallwatch bench builds it and names it)");
    }
    return jar;
  }

  /**
   * Runs one contender in a JVM of its own, with this JVM's settings (the Spark contender with the
   * Spark jar as its class path), and reads its result line.
   */
  private static Map<?, ?> runContender(
      String name, Path dump, Path dir, int workers, Path blacklist, Path channels, Path log)
      throws IOException {
    List<String> jvm = new ArrayList<>();
    String flinkHeap = System.getProperty(FLINK_HEAP);
    if (name.startsWith("flink") && flinkHeap != null) {
      jvm.add("-Xmx" + flinkHeap); // the launcher's heap for a backfill on Flink, as a user gets it
    }
    return inOwnJvm(
        name.equals("spark") ? sparkJar() : System.getProperty("java.class.path"),
        jvm,
        BenchContender.class.getName(),
        List.of(name, dump.toString(), dir.toString(), Integer.toString(workers), blacklist.toString(), channels.toString()),
        log);
  }

  /**
   * Runs {@code mainClass} with {@code args} in a JVM of its own, with this JVM's settings and
   * {@code classPath}, its output to {@code log}; answers the last {@value BenchContender#RESULT}
   * line's JSON object, or null when it failed.
   */
  static Map<?, ?> inOwnJvm(String classPath, String mainClass, List<String> args, Path log) throws IOException {
    return inOwnJvm(classPath, List.of(), mainClass, args, log);
  }

  /** The same, with {@code jvm} options after this JVM's (so that a heap given there wins). */
  static Map<?, ?> inOwnJvm(String classPath, List<String> jvm, String mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agentlib")) {
        command.add(arg);
      }
    }
    command.addAll(jvm);
    command.addAll(List.of("-cp", classPath, mainClass));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (p.waitFor() != 0) {
        return null;
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return null;
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines
          .filter(l -> l.startsWith(BenchContender.RESULT))
          .map(l -> (Map<?, ?>) JsonReader.parse(l.substring(BenchContender.RESULT.length())))
          .reduce((a, b) -> b)
          .orElse(null);
    }
  }

  /**
   * A blacklist of every 25th applicant's {@code id_no} in the dump, so that the routes differ as
   * they do in production: the call-centre route skips them, SMS keeps them.
   */
  private static Path writeBlacklist(Path dump, Path file) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    try (BufferedReader r = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
      List<String> header = Arrays.asList(r.readLine().split(","));
      int idNo = header.indexOf("ID_NO");
      int userId = header.indexOf("USER_ID");
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split(",", -1);
        if (f.length == header.size() && !f[idNo].isEmpty() && Math.floorMod(f[userId].hashCode(), 25) == 0) {
          ids.add(f[idNo]);
        }
      }
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id_no,mobile_tel\n");
      for (String id : ids) {
        w.write(id + ",\n");
      }
    }
    return file;
  }

  /**
   * About {@code rows} rows of the dump: every row of one in every n applicants, so the slice holds
   * whole journeys (the first rows of a dump in no order would be one row of each of many).
   */
  private static Path slice(Path dump, Path file, int rows) throws IOException {
    long total;
    try (Stream<String> lines = Files.lines(dump, StandardCharsets.UTF_8)) {
      total = lines.count() - 1;
    }
    int every = (int) Math.max(1, Math.round((double) total / rows));
    try (BufferedReader r = Files.newBufferedReader(dump, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      List<String> columns = Arrays.asList(header.split(","));
      int mobile = columns.indexOf("MOBILE_TEL");
      int userId = columns.indexOf("USER_ID");
      w.write(header);
      w.write('\n');
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split(",", -1);
        if (f.length == columns.size() && Math.floorMod((f[mobile] + f[userId]).hashCode(), every) == 0) {
          w.write(line);
          w.write('\n');
        }
      }
    }
    return file;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String machine(int workers) {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        "%d cores, %d workers, max heap %d MB, Java %s (%s), %s %s",
        rt.availableProcessors(),
        workers,
        rt.maxMemory() >> 20,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }

  /** One contender's figures. */
  static final class Row {
    final String name;
    final long rows;
    final double seconds;
    final long peakHeapMb;
    final long peakRssMb;
    final int cores;
    /** Wall seconds of the contender's process, as its parent saw them: JVM start included. */
    double processSeconds = Double.NaN;
    /** Wall seconds of the same process on a dump of no rows: the fixed cost (NaN: not measured). */
    double startupSeconds = Double.NaN;
    AlertSets.Alerts alerts;
    Path input;
    String agreement = "";

    Row(String name, int workers, Map<?, ?> result) {
      this.name = name;
      this.rows = ((Number) result.get("rows")).longValue();
      this.seconds = ((Number) result.get("seconds")).doubleValue();
      this.peakHeapMb = ((Number) result.get("peak_heap_mb")).longValue();
      this.peakRssMb = ((Number) result.get("peak_rss_mb")).longValue();
      // The model is single-threaded; the runners use every core they are given.
      this.cores = name.equals("model") ? 1 : workers;
    }

    double perSecond() {
      return rows / seconds;
    }

    double perCore() {
      return perSecond() / cores;
    }

    /** Rows per second as a user sees them: the whole process. */
    double perProcessSecond() {
      return rows / processSeconds;
    }

    /** Rows per second once started: the whole process less its cost on no rows. */
    double perSecondWithoutStartup() {
      return rows / (processSeconds - startupSeconds);
    }
  }
}
