package dev.stallwatch.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.files.ReadProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backfill's progress line: what it says, when it prints, and where it says there is none. */
class ProgressTest {
  @TempDir Path tmp;

  @Test
  void aLineSaysWhatWasReadOfTheTotalTheRateAndWhatIsLeft() {
    Progress p = Progress.start("backfill", new PrintStream(new ByteArrayOutputStream()), 200_000_000, false, "", 10_000);
    assertEquals(
        "stallwatch backfill: 50.0 MB of 200.0 MB (25%), 1,000 rows, 100 rows/s, 10 s elapsed, about 30 s of reading left",
        p.line(new ReadProgress.Snapshot(50_000_000, 1_000), 10_000));
    assertEquals(
        "stallwatch backfill: 200.0 MB of 200.0 MB (100%), 4,000 rows, 200 rows/s, 20 s elapsed, all read in 20 s",
        p.line(new ReadProgress.Snapshot(200_000_000, 4_000), 20_000));
    // later lines keep the reading's rate and time
    assertEquals(
        "stallwatch backfill: 200.0 MB of 200.0 MB (100%), 4,000 rows, 200 rows/s, 30 s elapsed, all read in 20 s",
        p.line(new ReadProgress.Snapshot(200_000_000, 4_000), 30_000));
  }

  @Test
  void aBackfillOnTheDirectRunnerIsCountedAsItReads() throws Exception {
    Path dump = tmp.resolve("dump.csv");
    List<String> lines = new java.util.ArrayList<>(List.of(JourneyGenerator.csvHeader()));
    for (java.util.Map<String, String> row : JourneyGenerator.builder().seed(3).applicants(400).build().rows()) {
      lines.add(JourneyGenerator.toCsv(row));
    }
    Files.write(dump, lines, StandardCharsets.UTF_8);
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(shown, true, StandardCharsets.UTF_8);
    ByteArrayOutputStream ignored = new ByteArrayOutputStream();
    try (Progress p = Progress.start("backfill", err, Files.size(dump), false, null, 100)) {
      int code =
          new StallWatch(new PrintStream(ignored), new PrintStream(ignored))
              .run(new String[] {"backfill", "--input=" + dump, "--output=" + tmp.resolve("out"), "--quiet"});
      assertEquals(0, code, ignored.toString(StandardCharsets.UTF_8));
      Thread.sleep(400); // a line after the last read
    }
    List<String> printed = shown.toString(StandardCharsets.UTF_8).lines().toList();
    assertTrue(!printed.isEmpty() && printed.stream().allMatch(l -> l.startsWith("stallwatch backfill: ")), printed.toString());
    String last = printed.get(printed.size() - 1);
    long rows = lines.size() - 1;
    assertTrue(last.contains(String.format("(100%%), %,d rows, ", rows)) && last.contains(", all read in "), last);
    assertTrue(ignored.toString(StandardCharsets.UTF_8).lines().noneMatch(l -> l.contains(" MB of ")), "--quiet shows none");
  }

  @Test
  void aJobOnAClusterHasNoProgressHere() {
    assertNull(Progress.elsewhere(new String[] {"--flinkMaster=[auto]", "--sparkMaster=local[2]"}));
    assertEquals(
        "the job runs on the Flink cluster at jm:8081 (its dashboard counts the readers' records)",
        Progress.elsewhere(new String[] {"--input=x", "--flinkMaster=jm:8081"}));
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    try (Progress p = Progress.start("backfill", new PrintStream(shown, true, StandardCharsets.UTF_8), 10, false, "on a cluster", 100)) {
      assertTrue(p != null);
    }
    assertEquals("stallwatch backfill: no progress: on a cluster\n", shown.toString(StandardCharsets.UTF_8));
  }
}
