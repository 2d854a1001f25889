package dev.stallwatch.pipeline.stall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The backfill graph, given each public conformance dump in shuffled order, gives its alerts. */
@ExtendWith(TestPipelineExtension.class)
class StallJobTest {
  static List<Path> cases() {
    return Conformance.cases();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void conformanceCaseInAnyRowOrder(Path c, TestPipeline pipeline) {
    Random random = new Random(7);
    {
      String name = c.getFileName().toString();
      List<RawRow> rows = new ArrayList<>(Conformance.rows(Conformance.dump(c)));
      Collections.shuffle(rows, random);
      StallGraph.Outputs out =
          StallGraph.build(
              pipeline,
              pipeline.apply("Rows", Create.of(rows)),
              StallConfig.defaults(),
              Conformance.blacklist(c),
              Conformance.channels(c),
              16);
      List<String> want = AlertJson.canonical(Conformance.expectedAlerts(c));
      PCollection<Alert> alerts = out.alerts();
      PAssert.that("alerts of " + name, alerts)
          .satisfies(
              got -> {
                List<Alert> list = new ArrayList<>();
                got.forEach(list::add);
                assertEquals(want, AlertJson.canonicalAlerts(list), name);
                return null;
              });
      int bad = Conformance.expectedBad(c);
      PAssert.that("dead letters of " + name, out.deadLetters())
          .satisfies(
              got -> {
                int n = 0;
                for (var d : got) {
                  n++;
                  assertEquals(true, !d.reason().isEmpty() && d.origin().contains("dump."), d.toString());
                }
                assertEquals(bad, n, name);
                return null;
              });
    }
    pipeline.run().waitUntilFinish();
  }
}
