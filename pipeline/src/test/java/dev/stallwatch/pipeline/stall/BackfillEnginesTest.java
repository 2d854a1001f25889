package dev.stallwatch.pipeline.stall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.cli.StallWatch;
import dev.stallwatch.pipeline.files.GenerateDump;
import dev.stallwatch.testing.Conformance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backfill --engine=sorted} (the default) and {@code --engine=windows} write the same files:
 * alerts and dead letters line for line, and the same summary, on a generated dump with SPEC's
 * edges (pauses at each gap ±1 s, duplicates with and without differing fields, terminal rows,
 * midnight, shared mobiles, bad rows) under three rules and a send window. On the direct runner,
 * which is slow, so the dump is small: {@code StallJobTest} holds both engines to each conformance
 * case, {@code StallAlertsModelTest} and {@code StallModelFlinkIT} both to the model on larger
 * generated input.
 */
class BackfillEnginesTest {
  @TempDir Path tmp;

  @Test
  void bothEnginesWriteTheSameForAGeneratedDumpWithEverySpecEdge() throws IOException {
    Path dump = tmp.resolve("generated.csv");
    JourneyGenerator generator =
        JourneyGenerator.builder().seed(23).applicants(150).days(3).gapsMinutes(List.of(8L, 15L, 30L)).badRowRate(0.02).build();
    GenerateDump.write(generator, 23, dump);
    // PROFILE_EDIT ruled and SELECT_MARKET not: a 22123 copy with or without a branch decides
    // whether there is an alert at all
    Path config = tmp.resolve("rules.json");
    Files.writeString(
        config,
        "{\"sendWindow\": {\"open\": \"09:15\", \"close\": \"16:15\", \"policy\": \"DEFER\"},"
            + " \"rules\": ["
            + "{\"name\": \"video\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 30, \"label\": \"视频见证\"},"
            + " {\"name\": \"id\", \"classes\": [\"ID_UPLOAD\"], \"gapMinutes\": 15, \"label\": \"上传身份证\"},"
            + " {\"name\": \"rest\", \"classes\": [\"PROFILE_EDIT\", \"SET_PASSWORD\", \"THIRD_PARTY_CUSTODY\","
            + " \"RISK_ASSESSMENT\", \"QUESTIONNAIRE\"], \"gapMinutes\": 8, \"label\": \"其他步骤\"}]}",
        StandardCharsets.UTF_8);
    for (List<String> more : List.of(List.of("--config=" + config))) {
      Map<String, List<String>> sorted = backfill("sorted", dump, more);
      Map<String, List<String>> windows = backfill("windows", dump, more);
      assertTrue(sorted.get("alerts").size() > 40, "alerts: " + sorted.get("alerts").size());
      assertTrue(sorted.get("dead-letter").size() > 5, "dead letters: " + sorted.get("dead-letter").size());
      assertEquals(windows, sorted, more.toString());
    }
  }

  /** The backfill's files (sorted lines by prefix) and its JSON summary, for one engine. */
  private Map<String, List<String>> backfill(String engine, Path dump, List<String> more) throws IOException {
    Path out = tmp.resolve("out-" + engine);
    List<String> args =
        new ArrayList<>(List.of("backfill", "--input=" + dump, "--output=" + out, "--engine=" + engine, "--jsonSummary=true"));
    args.addAll(more);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code =
        new StallWatch(new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8))
            .run(args.toArray(new String[0]));
    assertEquals(0, code, errors.toString(StandardCharsets.UTF_8));
    Map<String, List<String>> files = new TreeMap<>();
    for (String prefix : List.of("alerts", "dead-letter")) {
      List<String> lines = new ArrayList<>(Conformance.outputLines(out, prefix));
      lines.sort(null);
      files.put(prefix, lines);
    }
    files.put("summary", List.of(printed.toString(StandardCharsets.UTF_8).trim()));
    return files;
  }
}
