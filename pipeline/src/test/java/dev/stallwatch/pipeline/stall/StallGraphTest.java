package dev.stallwatch.pipeline.stall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
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
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backfill graph, with either engine (the session windows' and the sorted one), given each
 * public conformance dump in shuffled order, gives its alerts and dead letters.
 */
@ExtendWith(TestPipelineExtension.class)
class StallJobTest {
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return Conformance.cases().stream()
        .flatMap(c -> java.util.stream.Stream.of("windows", "sorted").map(e -> org.junit.jupiter.params.provider.Arguments.of(c, e)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void conformanceCaseInAnyRowOrder(Path c, String engine, TestPipeline pipeline) {
    Random random = new Random(7);
    {
      String name = c.getFileName().toString();
      List<RawRow> rows = new ArrayList<>(Conformance.rows(Conformance.dump(c)));
      Collections.shuffle(rows, random);
      PCollection<RawRow> input = pipeline.apply("Rows", Create.of(rows));
      StallGraph.Outputs out =
          engine.equals("sorted")
              ? split(
                  StallGraph.buildSorted(
                      input
                          .apply("AsRecords", MapElements.into(TypeDescriptor.of(StallRecord.class)).via(StallRecord::of))
                          .setCoder(StallRecord.StallRecordCoder.of()),
                      StallConfig.defaults(),
                      Conformance.blacklist(c),
                      Conformance.channels(c),
                      16))
              : StallGraph.build(pipeline, input, StallConfig.defaults(), Conformance.blacklist(c), Conformance.channels(c), 16);
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

  /** The sorted engine's one stream as its alerts and its dead letters. */
  private static StallGraph.Outputs split(PCollection<StallRecord> records) {
    PCollection<Alert> alerts =
        records
            .apply("OnlyAlerts", Filter.by((StallRecord r) -> r.kind() == StallRecord.Kind.ALERT))
            .apply("Alert", MapElements.into(TypeDescriptor.of(Alert.class)).via(StallRecord::alert))
            .setCoder(Alert.AlertCoder.of());
    PCollection<BadRecord> deadLetters =
        records
            .apply("OnlyDeadLetters", Filter.by((StallRecord r) -> r.kind() == StallRecord.Kind.DEAD_LETTER))
            .apply("DeadLetter", MapElements.into(TypeDescriptor.of(BadRecord.class)).via(StallRecord::deadLetter))
            .setCoder(BadRecord.BadRecordCoder.of());
    return new StallGraph.Outputs(alerts, deadLetters);
  }
}
