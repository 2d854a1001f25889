package dev.stallwatch.pipeline.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.pipeline.cli.StallWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classroom conformance cases ({@code src/classroom-conformance}): the backfill, run as a user
 * runs it ({@code stallwatch classroom backfill} on the direct runner), writes exactly each case's
 * expected files; and the checked-in expected files are what the models give today, so a change of
 * a model fails here until the cases are regenerated:
 *
 * <pre>
 * mvn -o -q -pl pipeline test -Dtest=ClassroomConformanceTest#regenerateExpected -Dclassroom.regenerate=true
 * </pre>
 */
class ClassroomConformanceTest {
  @TempDir Path tmp;

  static List<Path> cases() {
    return ConformanceCases.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theBackfillWritesTheExpectedFiles(Path c) {
    Path output = tmp.resolve("out");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new StallWatch(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(ConformanceCases.backfillArgs(c, output));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    for (String name : ConformanceCases.FILES) {
      assertTrue(Files.exists(output.resolve(name + ".jsonl")), name + ".jsonl was not written");
    }
    Map<String, List<String>> want = ConformanceCases.comparable(ConformanceCases.checkedIn(c));
    Map<String, List<String>> got = ConformanceCases.comparable(ConformanceCases.files(output));
    for (String name : ConformanceCases.FILES) {
      assertEquals(String.join("\n", want.get(name)), String.join("\n", got.get(name)), c.getFileName() + ": " + name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theExpectedFilesAreWhatTheModelsGive(Path c) {
    Map<String, List<String>> models = ConformanceCases.expected(c);
    Map<String, List<String>> checkedIn = ConformanceCases.checkedIn(c);
    for (String name : ConformanceCases.FILES) {
      assertTrue(Files.exists(c.resolve("expected").resolve(name + ".jsonl")), c.getFileName() + ": no expected/" + name + ".jsonl");
      assertEquals(
          String.join("\n", models.get(name)),
          String.join("\n", checkedIn.get(name)),
          c.getFileName() + ": expected/" + name + ".jsonl is not what the models give; regenerate (see ConformanceCases)");
    }
  }

  /** Every case holds only its input, its expected files and, if it has one, its event table. */
  @Test
  void everyCaseHasTheSameShape() throws IOException {
    List<Path> cases = cases();
    assertTrue(cases.size() >= 10, "cases: " + cases);
    for (Path c : cases) {
      try (Stream<Path> files = Files.list(c)) {
        for (Path p : files.toList()) {
          String name = p.getFileName().toString();
          assertTrue(
              name.equals("input") || name.equals("expected") || name.equals(ConformanceCases.SIGNAL_RULES),
              c.getFileName() + " holds " + name);
        }
      }
      try (Stream<Path> files = Files.list(c.resolve("expected"))) {
        assertEquals(ConformanceCases.FILES.size(), files.count(), c.getFileName() + "/expected");
      }
      long rows = ConformanceCases.checkedIn(c).values().stream().mapToLong(List::size).sum();
      assertTrue(rows > 0, c.getFileName() + " expects nothing");
    }
  }

  /** Rewrites every case's {@code expected/} from the models: only when asked. */
  @Test
  @EnabledIfSystemProperty(named = "classroom.regenerate", matches = "true")
  void regenerateExpected() throws IOException {
    ConformanceCases.main(new String[0]);
  }
}
