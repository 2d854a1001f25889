package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backfill on Beam's Spark runner, from the Spark jar's command line ({@link SparkLauncher},
 * Spark in this JVM, {@code local[2]}): each public conformance case gives exactly its expected
 * alerts and dead letters, a generated dump in shuffled order gives exactly the reference model's,
 * the summary's counts come from Spark's metrics, and a master Spark cannot use is one line.
 */
class SparkBackfillIT {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return SparkLauncher.commandLine(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  static List<Path> cases() {
    return Conformance.cases();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void conformanceCaseOnSpark(Path c) {
    Path output = tmp.resolve("out");
    int code =
        run(
            "backfill",
            "--input=" + Conformance.dump(c),
            "--blacklist=" + c.resolve("blacklist.csv"),
            "--channels=" + c.resolve("channels.csv"),
            "--output=" + output,
            "--runner=SparkRunner",
            "--sparkMaster=local[2]",
            "--jsonSummary=true");
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertEquals(AlertJson.canonical(Conformance.expectedAlerts(c)), AlertJson.canonical(Conformance.outputLines(output, "alerts")));
    assertEquals(Conformance.expectedBad(c), Conformance.outputLines(output, "dead-letter").size());
    var summary = AlertJson.fields(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(Integer.toString(Conformance.expectedBad(c)), summary.get("bad_rows"));
    assertEquals(Conformance.expectedAlerts(c).size(), alertCount(summary));
    assertTrue(Long.parseLong(summary.get("rows_read")) > 0);
  }

  /**
   * Two days of 1,500 generated applicants with bad rows, the rows shuffled and split over a CSV and
   * a JSON-lines file, on the default master (local[N], every core): the alerts are the model's.
   */
  @Test
  void generatedDumpInAnyOrderGivesTheModelsAlerts() throws IOException {
    Random random = new Random(42);
    List<Map<String, String>> rows =
        new ArrayList<>(
            JourneyGenerator.builder()
                .seed(42)
                .applicants(1500)
                .firstDay(LocalDate.of(2024, 3, 20))
                .days(2)
                .badRowRate(0.01)
                .build()
                .rows());
    Collections.shuffle(rows, random);
    Path input = Files.createDirectories(tmp.resolve("in"));
    List<String> csv = new ArrayList<>(List.of(JourneyGenerator.csvHeader()));
    List<String> jsonl = new ArrayList<>();
    List<RawRow> raw = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    for (Map<String, String> row : rows) {
      if (random.nextBoolean()) {
        csv.add(JourneyGenerator.toCsv(row));
        raw.add(RawRow.csv("dump.csv:" + csv.size(), csv.get(csv.size() - 1), csv.get(0)));
      } else {
        jsonl.add(JourneyGenerator.toJson(row, random));
        raw.add(RawRow.json("dump.jsonl:" + jsonl.size(), jsonl.get(jsonl.size() - 1)));
      }
      String id = row.get("id_no");
      if (id != null && !id.isBlank() && Math.floorMod(id.hashCode(), 20) == 0) {
        ids.add(id);
      }
    }
    Files.write(input.resolve("dump.csv"), csv, StandardCharsets.UTF_8);
    Files.write(input.resolve("dump.jsonl"), jsonl, StandardCharsets.UTF_8);
    Files.writeString(tmp.resolve("blacklist.csv"), "id_no\n" + String.join("\n", ids) + "\n");
    Files.writeString(tmp.resolve("channels.csv"), "channel_code,channel_name\n14781,同花顺\n", StandardCharsets.UTF_8);
    ReferenceModel.Result expected =
        ReferenceModel.of(StallConfig.defaults())
            .withBlacklist(Blacklist.of(ids, List.of()))
            .withChannels(ChannelNames.of(Map.of("14781", "同花顺")))
            .run(raw);
    assertTrue(expected.alerts.size() > 300, "a two-day dump of 1,500 applicants has hundreds of alerts");
    assertTrue(!expected.deadLetters.isEmpty(), "the dump has bad rows");

    Path output = tmp.resolve("out");
    int code =
        run(
            "backfill",
            "--input=" + input + "/dump*",
            "--blacklist=" + tmp.resolve("blacklist.csv"),
            "--channels=" + tmp.resolve("channels.csv"),
            "--output=" + output,
            "--runner=SparkRunner",
            "--jsonSummary=true");
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertSameAlerts(AlertJson.canonicalAlerts(expected.alerts), AlertJson.canonical(Conformance.outputLines(output, "alerts")));
    assertEquals(expected.deadLetters.size(), Conformance.outputLines(output, "dead-letter").size());
    var summary = AlertJson.fields(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(Long.toString(expected.rowsRead), summary.get("rows_read"));
    assertEquals(Integer.toString(expected.deadLetters.size()), summary.get("bad_rows"));
    assertEquals(expected.alerts.size(), alertCount(summary));
  }

  /** Equal lists of canonical alerts; else the count of each side's own and the first few of them. */
  private static void assertSameAlerts(List<String> expected, List<String> actual) {
    List<String> missing = new ArrayList<>(expected);
    actual.forEach(missing::remove);
    List<String> unexpected = new ArrayList<>(actual);
    expected.forEach(unexpected::remove);
    assertTrue(
        missing.isEmpty() && unexpected.isEmpty(),
        String.format(
            "%d of %d expected alerts missing, %d unexpected; missing %s; unexpected %s",
            missing.size(), expected.size(), unexpected.size(),
            missing.subList(0, Math.min(3, missing.size())), unexpected.subList(0, Math.min(3, unexpected.size()))));
    assertEquals(expected, actual);
  }

  /** The summary's alerts, added up over the routes: Beam's counters as the Spark runner reports them. */
  private static long alertCount(Map<String, String> summary) {
    return summary.entrySet().stream()
        .filter(e -> e.getKey().startsWith("alerts."))
        .mapToLong(e -> Long.parseLong(e.getValue()))
        .sum();
  }

  @Test
  void aMasterSparkCannotUseIsOneLine() {
    Path c = cases().get(0);
    int code =
        run(
            "backfill",
            "--input=" + Conformance.dump(c),
            "--output=" + tmp.resolve("out"),
            "--runner=SparkRunner",
            "--sparkMaster=bogus");
    assertEquals(2, code);
    String printed = err.toString(StandardCharsets.UTF_8).trim();
    assertEquals(
        "stallwatch backfill: --sparkMaster: must be local, local[N], local[*] or spark://HOST:PORT (a standalone"
            + " cluster), not 'bogus'",
        printed);
  }

  @Test
  void helpShowsTheSparkMasterDefault() {
    assertEquals(0, run("backfill", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--sparkMaster=MASTER"), help);
    assertTrue(help.contains("(default: local[N] on Spark, N = the cores)"), help);
    assertTrue(help.contains("(default: DirectRunner)"), help);
  }
}
