package dev.stallwatch.bench;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.parse.DimensionCsv;
import dev.stallwatch.pipeline.cli.StallWatch;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.text.JsonReader;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One contender of the benchmark, run in a JVM of its own so that no contender inherits another's
 * warmed-up code or garbage: {@code BenchContender NAME DUMP DIR WORKERS BLACKLIST CHANNELS}. It
 * writes its alerts under {@code DIR} and prints one line, {@value #RESULT} followed by a JSON
 * object: rows, wall seconds (the whole job, start-up included), peak heap and peak resident memory.
 * The Spark contender runs from the Spark jar, which holds this class but not Flink: it must touch
 * nothing of Flink's.
 */
public final class BenchContender {
  static final String RESULT = "BENCH-RESULT ";

  private BenchContender() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    Path dump = Path.of(args[1]);
    Path dir = Path.of(args[2]);
    int workers = Integer.parseInt(args[3]);
    Path blacklist = Path.of(args[4]);
    Path channels = Path.of(args[5]);
    Files.createDirectories(dir);

    HeapPeak heap = HeapPeak.start();
    long start = System.nanoTime();
    long rows =
        switch (name) {
          case "model" -> model(dump, dir, blacklist, channels);
          case "flink" -> backfill(dump, dir, blacklist, channels, "--runner=FlinkRunner", "--parallelism=" + workers);
          case "flink-windows" ->
              backfill(dump, dir, blacklist, channels, "--runner=FlinkRunner", "--parallelism=" + workers, "--engine=windows");
          case "spark" -> backfill(dump, dir, blacklist, channels, "--runner=SparkRunner", "--sparkMaster=local[" + workers + "]");
          case "direct" -> backfill(dump, dir, blacklist, channels, "--runner=DirectRunner", "--targetParallelism=" + workers);
          case "sql" -> sqlPeer(dump, dir, blacklist, channels, workers);
          default -> throw new IllegalArgumentException("unknown contender " + name);
        };
    double seconds = (System.nanoTime() - start) / 1e9;
    long peakHeap = heap.stop();
    System.out.println(
        RESULT
            + String.format(
                "{\"contender\":\"%s\",\"rows\":%d,\"seconds\":%.3f,\"peak_heap_mb\":%d,\"peak_rss_mb\":%d}",
                name, rows, seconds, peakHeap >> 20, peakRssKb() >> 10));
    System.exit(0);
  }

  /** SPEC.md in plain Java, single-threaded: read the rows, compute the alerts, write them. */
  static long model(Path dump, Path dir, Path blacklist, Path channels) throws IOException {
    Files.createDirectories(dir);
    List<RawRow> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      String line;
      int n = 1;
      String origin = dump.getFileName() + ":";
      while ((line = r.readLine()) != null) {
        n++;
        rows.add(RawRow.csv(origin + n, line, header));
      }
    }
    ReferenceModel.Result result =
        ReferenceModel.of(StallConfig.defaults())
            .withBlacklist(DimensionCsv.blacklist(Files.readAllLines(blacklist), blacklist.toString()))
            .withChannels(DimensionCsv.channels(Files.readAllLines(channels), channels.toString()))
            .run(rows);
    try (Writer w = new BufferedWriter(Files.newBufferedWriter(dir.resolve("alerts.jsonl")), 1 << 16)) {
      for (Alert a : result.alerts) {
        w.write(a.toJson());
        w.write('\n');
      }
    }
    return result.rowsRead;
  }

  /** The original design: the seed's Flink SQL jobs on the same Flink, over the same file. */
  private static long sqlPeer(Path dump, Path dir, Path blacklist, Path channels, int workers)
      throws IOException {
    FlinkSqlPeer.Result result = FlinkSqlPeer.run(dump, blacklist, channels, workers, dir.resolve("peer"));
    try (Writer w = new BufferedWriter(Files.newBufferedWriter(dir.resolve("alerts.jsonl")), 1 << 16)) {
      for (FlinkSqlPeer.PeerAlert a : result.alerts()) {
        w.write(a.toJson());
        w.write('\n');
      }
    }
    try (java.util.stream.Stream<String> lines = Files.lines(dump, StandardCharsets.UTF_8)) {
      return lines.skip(1).filter(l -> !l.isBlank()).count();
    }
  }

  /** The project's own backfill command, as a user runs it. */
  private static long backfill(Path dump, Path dir, Path blacklist, Path channels, String... runner) {
    List<String> args = new ArrayList<>();
    args.add("backfill");
    args.add("--input=" + dump);
    args.add("--output=" + dir.resolve("out"));
    args.add("--blacklist=" + blacklist);
    args.add("--channels=" + channels);
    args.add("--jsonSummary=true");
    args.addAll(List.of(runner));
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    int status =
        new StallWatch(new PrintStream(summary, true, StandardCharsets.UTF_8), System.err)
            .run(args.toArray(new String[0]));
    if (status != 0) {
      throw new IllegalStateException("backfill exited " + status);
    }
    Map<?, ?> json = (Map<?, ?>) JsonReader.parse(summary.toString(StandardCharsets.UTF_8).trim());
    return ((Number) json.get("rows_read")).longValue();
  }

  /** The peak resident set of this process (Linux), or 0 where it cannot be read. */
  private static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return 0;
  }

  /** The largest heap in use, sampled every 10 ms (garbage not yet collected included). */
  private static final class HeapPeak implements Runnable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    static HeapPeak start() {
      HeapPeak p = new HeapPeak();
      p.thread = new Thread(p, "heap-peak");
      p.thread.setDaemon(true);
      p.thread.start();
      return p;
    }

    @Override
    public void run() {
      while (running) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      return peak.get();
    }
  }
}
