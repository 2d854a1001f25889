package dev.stallwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.text.JsonReader;
import dev.stallwatch.runners.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark end to end on a small dump: every contender runs in its own JVM, the table and its
 * files agree, and the Flink backfill's alerts are checked against the floor's, so a wrong result
 * cannot pass as a fast one.
 */
class BenchIT {
  @TempDir Path tmp;

  private int bench(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return Launcher.commandLine(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  @Test
  void tableOfTheFloorAndTheFlinkBackfill() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        bench(out, err, "bench", "--events=3000", "--seed=5", "--contenders=model,flink", "--results=" + tmp);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

    List<String> csv = Files.readAllLines(tmp.resolve("bench.csv"));
    assertEquals(3, csv.size(), String.join("\n", csv));
    List<String> header = Arrays.asList(csv.get(0).split(","));
    String[] model = csv.get(1).split(",");
    String[] flink = csv.get(2).split(",");
    assertEquals("model", model[0]);
    assertEquals("flink", flink[0]);
    int rows = header.indexOf("rows");
    long dumpRows = Files.readAllLines(tmp.resolve("dump.csv")).size() - 1;
    assertEquals(Long.toString(dumpRows), model[rows]);
    assertEquals(Long.toString(dumpRows), flink[rows]);
    assertEquals("1.00", model[header.indexOf("x_floor")]);
    assertEquals("1.00", model[header.indexOf("x_floor_process")]);
    assertEquals("1.00", model[header.indexOf("x_floor_no_startup")]);
    // The whole process holds the job and the JVM's start; the start-up run on no rows is shorter.
    double inJvm = Double.parseDouble(flink[header.indexOf("seconds")]);
    double process = Double.parseDouble(flink[header.indexOf("process_s")]);
    double startup = Double.parseDouble(flink[header.indexOf("startup_s")]);
    assertTrue(process >= inJvm && startup > 0 && startup < process + 5, String.join("\n", csv));
    assertEquals("equal to SPEC", flink[header.indexOf("alerts_vs_spec")]);
    int alerts = header.indexOf("alerts");
    assertEquals(model[alerts], flink[alerts]);
    assertTrue(Long.parseLong(model[alerts]) > 100, "a 3000-row dump has hundreds of alerts");
    // The blacklist the bench writes takes some applicants off the call-centre route only.
    assertTrue(Files.readAllLines(tmp.resolve("blacklist.csv")).size() > 1);

    Map<?, ?> json = (Map<?, ?>) JsonReader.parse(Files.readString(tmp.resolve("bench.json")));
    List<?> jsonRows = (List<?>) json.get("rows");
    assertEquals(2, jsonRows.size());
    assertEquals(
        Long.parseLong(flink[alerts]), ((Number) ((Map<?, ?>) jsonRows.get(1)).get("alerts")).longValue());
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(table.startsWith("machine: "), table);
    assertTrue(table.contains("equal to SPEC"), table);
  }

  @Test
  void unknownContenderIsAUsageError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, bench(out, err, "bench", "--contenders=model,storm", "--results=" + tmp));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown contender 'storm'"), err.toString());
  }
}
