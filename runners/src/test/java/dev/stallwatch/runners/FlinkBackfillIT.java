package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backfill on the real Flink runner (embedded mini-cluster, parallelism 2) gives each public
 * conformance case exactly its expected alerts and dead letters.
 */
class FlinkBackfillIT {
  @TempDir Path tmp;

  static List<Path> cases() {
    return Conformance.cases();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void conformanceCaseOnFlink(Path c) throws IOException {
    Path output = tmp.resolve("out");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Launcher.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "backfill",
                  "--input=" + Conformance.dump(c),
                  "--blacklist=" + c.resolve("blacklist.csv"),
                  "--channels=" + c.resolve("channels.csv"),
                  "--output=" + output,
                  "--runner=FlinkRunner",
                  "--parallelism=2",
                  "--jsonSummary=true"
                });
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertEquals(AlertJson.canonical(Conformance.expectedAlerts(c)), AlertJson.canonical(Conformance.outputLines(output, "alerts")));
    assertEquals(Conformance.expectedBad(c), Conformance.outputLines(output, "dead-letter").size());
    var summary = AlertJson.fields(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(Integer.toString(Conformance.expectedBad(c)), summary.get("bad_rows"));
    assertTrue(Long.parseLong(summary.get("rows_read")) > 0);
  }
}
