package dev.stallwatch.runners;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.kafka.KafkaRows;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.stall.StallGraph;
import dev.stallwatch.pipeline.stall.StreamingJob;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Puts a pass-through step after each of the streaming job's stages that throws when the test has
 * armed it: the test creates a file named after the stage in a directory both share, and the next
 * element to pass that stage deletes the file and fails its bundle. Exactly one element (on
 * whichever worker thread gets there first) takes each armed fault, since only one can delete the
 * file; a job restored after the failure finds the stage disarmed. The test composes the
 * streaming job's public pieces with these steps between them ({@link #job}).
 */
final class FaultTap implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The raw rows read from Kafka, before parsing. */
  static final String ROWS = "rows";
  /** Every route's alerts, before the topic and audit sinks. */
  static final String ALERTS = "alerts";
  /** All dead letters, before the dead-letter sink. */
  static final String DEAD_LETTERS = "deadLetters";

  private final String directory;

  FaultTap(Path directory) {
    this.directory = directory.toString();
  }

  /** The streaming job as {@link StreamingJob#create} makes it, with this tap after each stage. */
  Pipeline job(
      RunOptions options,
      JobConfig config,
      StreamingJob.Io io,
      Function<Pipeline, StallGraph.Dimensions> dimensions,
      AuditTable audit) {
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple read = StreamingJob.readRows(pipeline, options, config, io);
    PCollection<RawRow> rows = apply(ROWS, read.get(KafkaRows.ROWS));
    StallGraph.Outputs outputs =
        StallGraph.build(rows, config.stall(), dimensions.apply(pipeline), options.getKeyBuckets());
    PCollection<Alert> alerts = apply(ALERTS, outputs.alerts());
    PCollection<BadRecord> deadLetters = apply(DEAD_LETTERS, StreamingJob.allDeadLetters(outputs, read));
    StreamingJob.writeOutputs(alerts, deadLetters, options, config, io, audit);
    return pipeline;
  }

  <T> PCollection<T> apply(String stage, PCollection<T> values) {
    return values
        .apply("InjectFaults-" + stage, ParDo.of(new FailWhenArmed<T>(directory, stage)))
        .setCoder(values.getCoder());
  }

  /** Arms {@code stage}: the next element there fails. */
  static void arm(Path directory, String stage) throws IOException {
    Files.writeString(directory.resolve(stage), "armed");
  }

  /** Whether an element took the fault armed at {@code stage}. */
  static boolean fired(Path directory, String stage) {
    return !Files.exists(directory.resolve(stage));
  }

  /** Takes back a fault that no element took; answers whether it was still armed. */
  static boolean disarm(Path directory, String stage) throws IOException {
    return Files.deleteIfExists(directory.resolve(stage));
  }

  /** Thrown by an armed stage. */
  static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFault(String message) {
      super(message);
    }
  }

  private static final class FailWhenArmed<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final String directory;
    private final String stage;

    FailWhenArmed(String directory, String stage) {
      this.directory = directory;
      this.stage = stage;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) throws IOException {
      if (Files.deleteIfExists(Path.of(directory, stage))) {
        throw new InjectedFault("fault injected by the test at stage '" + stage + "'");
      }
      out.output(element);
    }
  }
}
