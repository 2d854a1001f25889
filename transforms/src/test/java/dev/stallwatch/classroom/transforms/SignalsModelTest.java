package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.reference.SignalModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test: on generated traffic ({@link SignalTraffic}: disorder, duplicates, late and
 * too-late signals, minute edges ±1 ms, midnight, missing fields, nested JSON strings), {@link
 * CleanSignals} and {@link ClassroomPerformance} give exactly {@link SignalModel}'s signals, dead
 * letters, counters and final rows — in batch (every message at once) and in streaming (a {@link
 * TestStream} that advances the watermark as the source would, so windows close, late panes fire
 * and too-late signals arrive after their window closed). The final rows are what an upsert table
 * holds: the last pane of each upsert key.
 */
@ExtendWith(TestPipelineExtension.class)
class SignalsModelTest {
  private static final int MESSAGES = 700;

  static Stream<Arguments> cases() {
    SignalsConfig defaults = SignalsConfig.defaults();
    SignalsConfig lenient = defaults.toBuilder().allowedLateness(Duration.standardSeconds(30)).build();
    return Stream.of(
        Arguments.of("defaults", 1L, defaults),
        Arguments.of("lateness 30 s", 3L, lenient),
        Arguments.of("lateness 90 s, bound 2 s", 5L,
            defaults.toBuilder().allowedLateness(Duration.standardSeconds(90)).watermarkBound(Duration.standardSeconds(2)).build()),
        Arguments.of("UTC, bound 0", 6L, defaults.toBuilder().zoneId("UTC").watermarkBound(Duration.ZERO).build()));
  }

  private static SignalTraffic traffic(long seed, SignalsConfig config) {
    return SignalTraffic.generate(
        seed, config.zone(), config.watermarkBound().getMillis(), config.allowedLateness().getMillis(), MESSAGES);
  }

  @ParameterizedTest(name = "batch, {0}, seed {1}")
  @MethodSource("cases")
  void batchAgreesWithTheModel(String name, long seed, SignalsConfig config, TestPipeline pipeline) {
    SignalTraffic traffic = traffic(seed, config);
    List<TimestampedValue<Message>> stamped = new ArrayList<>();
    for (SignalModel.Arrival a : traffic.arrivals()) {
      stamped.add(TimestampedValue.of(a.message(), new Instant(a.stampMillis())));
    }
    PCollection<Message> messages =
        pipeline.apply("Messages", Create.timestamped(stamped).withCoder(Message.MessageCoder.of()));
    check(pipeline, messages, traffic, config, false);
  }

  @ParameterizedTest(name = "streaming, {0}, seed {1}")
  @MethodSource("cases")
  void streamingAgreesWithTheModel(String name, long seed, SignalsConfig config, TestPipeline pipeline) {
    SignalTraffic traffic = traffic(seed, config);
    TestStream.Builder<Message> stream = TestStream.create(Message.MessageCoder.of());
    long watermark = Long.MIN_VALUE;
    for (SignalTraffic.Step step : traffic.steps()) {
      List<TimestampedValue<Message>> chunk = new ArrayList<>();
      for (SignalModel.Arrival a : step.arrivals()) {
        chunk.add(TimestampedValue.of(a.message(), new Instant(a.stampMillis())));
      }
      stream = stream.addElements(chunk.get(0), chunk.subList(1, chunk.size()).toArray(TimestampedValue[]::new));
      if (step.watermark() > watermark) {
        watermark = step.watermark();
        stream = stream.advanceWatermarkTo(new Instant(watermark));
      }
    }
    PCollection<Message> messages = pipeline.apply("Messages", stream.advanceWatermarkToInfinity());
    check(pipeline, messages, traffic, config, config.allowedLateness().getMillis() > 0);
  }

  private static void check(
      TestPipeline pipeline, PCollection<Message> messages, SignalTraffic traffic, SignalsConfig config, boolean expectUpdates) {
    SignalModel.Result expected = SignalModel.of(config).run(traffic.arrivals());
    // the case exercises what it claims to
    assertTrue(expected.signals.size() > 250, "signals: " + expected.signals.size());
    assertTrue(expected.late > 10 && expected.bad > 10 && expected.ignored > 10, "late, bad, ignored");
    assertTrue(expected.rows.stream().anyMatch(r -> r.eventCount() > 2), "rows counting several signals");
    assertTrue(expected.rows.stream().anyMatch(r -> r.startTime().endsWith(" 00:00:00")), "a window at midnight");
    assertTrue(countsSomeDuplicate(expected), "a signal that arrived twice and counted once");

    PCollectionTuple cleaned = messages.apply("CleanSignals", CleanSignals.of(config));
    PCollectionTuple performance =
        cleaned.get(CleanSignals.signals()).apply("ClassroomPerformance", ClassroomPerformance.of(config));

    PAssert.that(cleaned.get(CleanSignals.signals())).containsInAnyOrder(expected.signals);
    PAssert.that(cleaned.get(CleanSignals.deadLetters())).containsInAnyOrder(expected.deadLetters);
    PAssert.that(performance.get(ClassroomPerformance.deadLetters())).empty();
    List<SignalCount> wantRows = expected.rows;
    PAssert.that(performance.get(ClassroomPerformance.rows()).apply("Panes", ParDo.of(new PaneFn())).setCoder(SerializableCoder.of(Fired.class)))
        .satisfies(
            fired -> {
              Map<SignalCount.UpsertKey, Fired> last = new HashMap<>();
              for (Fired f : fired) {
                last.merge(f.row.upsertKey(), f, (a, b) -> a.pane > b.pane ? a : b);
              }
              for (Fired f : fired) {
                Fired l = last.get(f.row.upsertKey());
                assertTrue(f.row.eventCount() <= l.row.eventCount(), "a later pane never counts less: " + f.row);
              }
              List<SignalCount> got = new ArrayList<>();
              last.values().forEach(f -> got.add(f.row));
              got.sort(SignalModel.ORDER);
              assertEquals(rowsText(wantRows), rowsText(got));
              if (expectUpdates) {
                assertTrue(fired.iterator().hasNext() && hasLatePane(fired), "some row was updated by a late signal");
              }
              return null;
            });

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(expected.read, counter(result, ClassroomMetrics.C1_READ), "read");
    assertEquals(expected.signals.size(), counter(result, ClassroomMetrics.C1_SIGNALS), "signals");
    assertEquals(expected.ignored, counter(result, ClassroomMetrics.C1_IGNORED), "ignored");
    assertEquals(expected.bad, counter(result, ClassroomMetrics.C1_BAD), "bad");
    assertEquals(expected.late, counter(result, ClassroomMetrics.C1_LATE), "late");
    assertEquals(0, counter(result, ClassroomMetrics.C3_LATE), "C3 late");
  }

  private static boolean hasLatePane(Iterable<Fired> fired) {
    for (Fired f : fired) {
      if (f.timing == PaneInfo.Timing.LATE) {
        return true;
      }
    }
    return false;
  }

  /** Whether some signal was emitted by C1 more than once (a duplicate C3 must count once). */
  private static boolean countsSomeDuplicate(SignalModel.Result expected) {
    Set<String> seen = new HashSet<>();
    for (var s : expected.signals) {
      if (!seen.add(s.toJson())) {
        return true;
      }
    }
    return false;
  }

  private static List<String> rowsText(List<SignalCount> rows) {
    List<String> out = new ArrayList<>();
    for (SignalCount r : rows) {
      out.add(r.toJson());
    }
    return out;
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ClassroomMetrics.NAMESPACE, name)).build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** A row with the pane it left in. */
  record Fired(SignalCount row, long pane, PaneInfo.Timing timing) implements Serializable {}

  private static final class PaneFn extends DoFn<SignalCount, Fired> {
    @ProcessElement
    public void process(@Element SignalCount row, PaneInfo pane, OutputReceiver<Fired> out) {
      out.output(new Fired(row, pane.getIndex(), pane.getTiming()));
    }
  }
}
