package dev.stallwatch.bench;

import dev.stallwatch.pipeline.cli.Command;
import dev.stallwatch.pipeline.cli.StallWatch;
import dev.stallwatch.pipeline.cli.UsageException;
import dev.stallwatch.pipeline.classroom.ClassroomBackfillJob;
import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code stallwatch classroom bench}: one generated classroom dump, every contender on it in a JVM
 * of its own, one table. {@code model} is the family's models in plain single-threaded Java (the
 * floor, and the reference); {@code flink} and {@code direct} are the classroom backfill on those
 * runners. Each contender's files are compared with the model's line for line (as sets); the table
 * goes to standard output and, as {@code bench.json}, to the results directory.
 */
public final class ClassroomBench implements Command {
  private static final List<String> CONTENDERS = List.of("model", "flink", "direct");

  @Override
  public String summary() {
    return "time the classroom backfill on Flink (and direct) beside the models in plain Java";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return ClassroomBenchOptions.class;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    ClassroomBenchOptions options = StallWatch.parseOptions(args, ClassroomBenchOptions.class);
    if (options.getSignals() == 0) {
      options.setSignals(1_000_000);
    }
    if (options.getSignals() < 1000) {
      throw new UsageException("--signals: must be at least 1000, not " + options.getSignals());
    }
    Set<String> contenders = new LinkedHashSet<>();
    for (String c : options.getContenders().split(",")) {
      String name = c.trim().toLowerCase(Locale.ROOT);
      if (!CONTENDERS.contains(name)) {
        throw new UsageException("--contenders: unknown contender '" + c + "' (choose from " + CONTENDERS + ")");
      }
      contenders.add(name);
    }
    contenders.remove("model");
    List<String> order = new ArrayList<>(List.of("model"));
    order.addAll(contenders); // the model always runs: it is the reference
    int workers = options.getWorkers() > 0 ? options.getWorkers() : Runtime.getRuntime().availableProcessors();
    try {
      return bench(options, order, workers, Path.of(options.getResults()).toAbsolutePath(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int bench(
      ClassroomBenchOptions options, List<String> contenders, int workers, Path results, PrintStream out, PrintStream err)
      throws IOException {
    Files.createDirectories(results);
    Path dump = results.resolve("dump");
    Bench.deleteTree(dump);
    err.printf("stallwatch classroom bench: generating about %,d signals (seed %d) to %s%n", options.getSignals(), options.getSeed(), dump);
    int generated =
        new StallWatch(err, err)
            .run(
                new String[] {
                  "classroom", "generate", "--output=" + dump, "--signals=" + options.getSignals(), "--seed=" + options.getSeed()
                });
    if (generated != 0) {
      err.println("stallwatch classroom bench: could not generate the dump");
      return 1;
    }
    List<String[]> table = new ArrayList<>();
    Path reference = null;
    double floor = 0;
    JsonWriter json = new JsonWriter(1024);
    json.field("machine", machine(workers));
    StringBuilder rows = new StringBuilder();
    for (String name : contenders) {
      Path dir = results.resolve(name);
      Bench.deleteTree(dir);
      err.printf("stallwatch classroom bench: %s ...%n", name);
      Path log = results.resolve(name + ".log");
      Map<?, ?> result = runContender(name, dump, dir, workers, log);
      if (result == null) {
        err.printf("stallwatch classroom bench: %s failed; see %s%n", name, log);
        return 1;
      }
      long messages = ((Number) result.get("messages")).longValue();
      double seconds = ((Number) result.get("seconds")).doubleValue();
      String agreement;
      if (reference == null) {
        reference = dir;
        floor = messages / seconds;
        agreement = "is the model (reference)";
      } else {
        agreement = compare(reference, dir);
      }
      int cores = name.equals("model") ? 1 : workers;
      table.add(
          new String[] {
            name,
            Long.toString(messages),
            String.format(Locale.ROOT, "%.1f", seconds),
            String.format(Locale.ROOT, "%.0f", messages / seconds),
            String.format(Locale.ROOT, "%.0f", messages / seconds / cores),
            Integer.toString(cores),
            String.format(Locale.ROOT, "%.2f", messages / seconds / floor),
            agreement
          });
      rows.append(rows.length() == 0 ? "" : ",")
          .append(
              new JsonWriter(256)
                  .field("contender", name)
                  .field("messages", messages)
                  .field("millis", Math.round(seconds * 1000))
                  .field("cores", cores)
                  .field("outputs", agreement)
                  .end());
      err.printf("stallwatch classroom bench: %s: %,d messages in %.1f s%n", name, messages, seconds);
    }
    String[] header = {"contender", "messages", "seconds", "msgs_per_s", "msgs_per_s_per_core", "cores", "x_floor", "outputs"};
    out.print(text(header, table));
    out.println("machine: " + machine(workers));
    String doc = json.end();
    Files.writeString(
        results.resolve("bench.json"),
        doc.substring(0, doc.length() - 1) + ",\"contenders\":[" + rows + "]}\n",
        StandardCharsets.UTF_8);
    err.printf("stallwatch classroom bench: wrote %s%n", results.resolve("bench.json"));
    return 0;
  }

  /** Whether each of the backfill's files in {@code dir} holds the lines of the reference's, as sets. */
  static String compare(Path reference, Path dir) throws IOException {
    List<String> differ = new ArrayList<>();
    for (String name : ClassroomBackfillJob.OUTPUTS) {
      Set<String> want = lines(reference.resolve(name + ".jsonl"));
      Set<String> got = lines(dir.resolve(name + ".jsonl"));
      if (!want.equals(got)) {
        long missing = want.stream().filter(l -> !got.contains(l)).count();
        long extra = got.stream().filter(l -> !want.contains(l)).count();
        differ.add(name + " " + missing + " missing, " + extra + " unexpected");
      }
    }
    return differ.isEmpty() ? "equal to the model" : "differs: " + String.join("; ", differ);
  }

  private static Set<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Set.of();
    }
    try (Stream<String> s = Files.lines(file, StandardCharsets.UTF_8)) {
      return s.collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }
  }

  private static Map<?, ?> runContender(String name, Path dump, Path dir, int workers, Path log) throws IOException {
    return Bench.inOwnJvm(
        System.getProperty("java.class.path"),
        ClassroomBenchContender.class.getName(),
        List.of(name, dump.toString(), dir.toString(), Integer.toString(workers)),
        log);
  }

  private static String text(String[] header, List<String[]> rows) {
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (String[] r : all) {
      for (int i = 0; i < r.length; i++) {
        sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String machine(int workers) {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        "%d cores, %d workers, max heap %d MB, Java %s, %s %s",
        rt.availableProcessors(), workers, rt.maxMemory() >> 20, System.getProperty("java.version"),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }
}
