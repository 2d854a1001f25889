package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.pipeline.classroom.ConformanceCases;
import dev.stallwatch.text.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code stallwatch classroom backfill} as the bundled jar runs it, on the real Flink runner
 * (embedded mini-cluster, parallelism 2), writes exactly each classroom conformance case's expected
 * files ({@code src/classroom-conformance}), and its summary counts the dead letters it wrote.
 *
 * <p>Six of the thirteen cases run here, one or two per job and the one of all three topics, each a
 * Flink job of 5 to 15 s: the suite's time is kept under its budget this way. The direct runner
 * runs every case ({@code ClassroomConformanceTest}); {@code -Dclassroom.allCases=true} runs every
 * case here too.
 */
class ClassroomFlinkBackfillIT {
  /** The summary's counters whose sum is the number of dead letters. */
  private static final List<String> DEAD =
      List.of("dump.unreadable", "c1.bad", "c1.late", "c3.late", "c4.bad", "c4.late", "c5.bad", "c5.late");

  @TempDir Path tmp;

  private static final List<String> ON_FLINK =
      List.of("c1-reading", "c1-dead-letters", "c3-minute-edges", "c4-unmatched-and-idle", "c5-fields", "all-topics");

  static List<Path> cases() {
    if (Boolean.getBoolean("classroom.allCases")) {
      return ConformanceCases.cases();
    }
    List<Path> chosen =
        ConformanceCases.cases().stream().filter(c -> ON_FLINK.contains(c.getFileName().toString())).toList();
    if (chosen.size() != ON_FLINK.size()) {
      throw new IllegalStateException("a case this test runs is missing: " + ON_FLINK + " in " + ConformanceCases.cases());
    }
    return chosen;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conformanceCaseOnFlink(Path c) {
    Path output = tmp.resolve("out");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Launcher.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(ConformanceCases.backfillArgs(c, output, "--runner=FlinkRunner", "--parallelism=2", "--jsonSummary=true"));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    Map<String, List<String>> want = ConformanceCases.comparable(ConformanceCases.checkedIn(c));
    Map<String, List<String>> got = ConformanceCases.comparable(ConformanceCases.files(output));
    for (String name : ConformanceCases.FILES) {
      assertEquals(String.join("\n", want.get(name)), String.join("\n", got.get(name)), c.getFileName() + ": " + name);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) JsonReader.parse(out.toString(StandardCharsets.UTF_8).trim());
    long dead = 0;
    for (String counter : DEAD) {
      dead += ((BigDecimal) summary.get(counter)).longValueExact();
    }
    assertEquals(want.get(ConformanceCases.DEAD_LETTERS).size(), dead, "dead letters counted in " + summary);
  }
}
