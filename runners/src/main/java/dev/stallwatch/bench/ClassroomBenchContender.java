package dev.stallwatch.bench;

import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.cli.StallWatch;
import dev.stallwatch.text.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * One contender of {@code classroom bench}, in a JVM of its own: {@code ClassroomBenchContender
 * NAME DUMP_DIR OUT_DIR WORKERS}. It writes the backfill's files under {@code OUT_DIR} and prints
 * {@value BenchContender#RESULT} and a JSON object: messages read, wall seconds (start-up included).
 */
public final class ClassroomBenchContender {
  private ClassroomBenchContender() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    Path dump = Path.of(args[1]);
    Path out = Path.of(args[2]);
    int workers = Integer.parseInt(args[3]);
    long start = System.nanoTime();
    long messages =
        switch (name) {
          case "model" -> ClassroomModelRun.run(dump, out, ClassroomConfig.defaults()).messages();
          case "flink" -> backfill(dump, out, "--runner=FlinkRunner", "--parallelism=" + workers);
          case "direct" -> backfill(dump, out, "--runner=DirectRunner", "--targetParallelism=" + workers);
          default -> throw new IllegalArgumentException("unknown contender " + name);
        };
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.println(
        BenchContender.RESULT
            + String.format(java.util.Locale.ROOT, "{\"contender\":\"%s\",\"messages\":%d,\"seconds\":%.3f}", name, messages, seconds));
    System.exit(0);
  }

  private static long backfill(Path dump, Path out, String... runner) {
    String[] args = new String[4 + runner.length];
    args[0] = "classroom";
    args[1] = "backfill";
    args[2] = "--input=" + dump;
    args[3] = "--output=" + out;
    System.arraycopy(runner, 0, args, 4, runner.length);
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = "--jsonSummary=true";
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    int status =
        dev.stallwatch.runners.Launcher.commandLine(new PrintStream(summary, true, StandardCharsets.UTF_8), System.err).run(all);
    if (status != 0) {
      throw new IllegalStateException("classroom backfill exited " + status);
    }
    Map<?, ?> json = (Map<?, ?>) JsonReader.parse(summary.toString(StandardCharsets.UTF_8).trim());
    long read = 0;
    for (String c : new String[] {"c1.read", "c4.read", "c5.read"}) {
      read += ((Number) json.get(c)).longValue();
    }
    return read;
  }
}
