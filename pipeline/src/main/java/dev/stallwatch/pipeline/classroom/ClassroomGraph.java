package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.transforms.AvQuality;
import dev.stallwatch.classroom.transforms.ClassroomPerformance;
import dev.stallwatch.classroom.transforms.CleanSignals;
import dev.stallwatch.classroom.transforms.CourseDuration;
import dev.stallwatch.classroom.transforms.SignalRecords;
import dev.stallwatch.domain.BadRecord;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The classroom family's graph (CLASSROOM.md C1, C3, C4, C5): the messages of the three input
 * topics in; C1's records, C3's, C4's and C5's rows and every dead letter out. The same graph runs
 * in a backfill (dumps in, files out) and in the streaming job (Kafka in, Kafka and JDBC out);
 * {@link #build} takes the inputs, so tests give it a {@code Create} or {@code TestStream}.
 *
 * <p>C3 counts C1's signals inside the graph rather than reading them back from C1's output topic
 * as the article did: the rows are the same, and one job needs no second consumer. Its step names
 * ({@code CleanSignals}, {@code SignalRecords}, {@code ClassroomPerformance}, {@code
 * CourseDuration}, {@code AvQuality}, {@code ClassroomDeadLetters}) are operator ids a savepoint
 * knows.
 */
public final class ClassroomGraph {
  private ClassroomGraph() {}

  /** The messages of each input topic, with their origins. */
  public record Inputs(PCollection<Message> signals, PCollection<Message> qos, PCollection<Message> av) {}

  /** What the graph writes. */
  public record Outputs(
      /** C1: (input key, flat signal JSON) for {@code timeline_analysis_student}. */
      PCollection<KV<String, String>> signalRecords,
      /** C3: {@code timeline_signal_analysis}, one element per pane. */
      PCollection<SignalCount> signalCounts,
      /** C4: {@code user_enter_classroom_take_time}. */
      PCollection<CourseDurationRow> courseDurations,
      /** C5: {@code user_av_record}, one element per pane. */
      PCollection<AvQualityRow> avQuality,
      /** Every job's dead letters. */
      PCollection<BadRecord> deadLetters) {}

  /** The four jobs over {@code inputs} under {@code config}. */
  public static Outputs build(Inputs inputs, ClassroomConfig config) {
    PCollectionTuple cleaned = inputs.signals().apply("CleanSignals", CleanSignals.of(config.signals()));
    PCollection<Signal> signals = cleaned.get(CleanSignals.signals());
    PCollection<KV<String, String>> records = signals.apply("SignalRecords", SignalRecords.create());
    PCollectionTuple counted = signals.apply("ClassroomPerformance", ClassroomPerformance.of(config.signals()));
    PCollectionTuple courses = inputs.qos().apply("CourseDuration", CourseDuration.of(config.quality()));
    PCollectionTuple av = inputs.av().apply("AvQuality", AvQuality.of(config.quality()));
    PCollection<BadRecord> deadLetters =
        PCollectionList.of(cleaned.get(CleanSignals.deadLetters()))
            .and(counted.get(ClassroomPerformance.deadLetters()))
            .and(courses.get(CourseDuration.deadLetters()))
            .and(av.get(AvQuality.deadLetters()))
            .apply("ClassroomDeadLetters", Flatten.pCollections());
    return new Outputs(
        records,
        counted.get(ClassroomPerformance.rows()),
        courses.get(CourseDuration.rows()),
        av.get(AvQuality.rows()),
        deadLetters);
  }
}
