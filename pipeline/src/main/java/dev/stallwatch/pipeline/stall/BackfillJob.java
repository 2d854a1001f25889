package dev.stallwatch.pipeline.stall;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Contextful;
import dev.stallwatch.pipeline.files.ReadDump;
import dev.stallwatch.pipeline.options.BackfillOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/** The backfill (SPEC §6): a dump's files in, alert and dead-letter files out. */
public final class BackfillJob {
  private static final String ALERTS = "alerts";
  private static final String DEAD_LETTERS = "dead-letter";

  private BackfillJob() {}

  /** How the backfill finds stalls ({@code --engine}). */
  public enum Engine {
    /** {@code SortedStallAlerts}: one grouping by mobile bucket, each bucket in SPEC order. */
    SORTED,
    /** {@code StallAlerts}: the streaming job's session-window graph, in batch. */
    WINDOWS;

    /** The engine {@code --engine} names, or null when it names none. */
    public static Engine of(String name) {
      for (Engine e : values()) {
        if (e.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
          return e;
        }
      }
      return null;
    }
  }

  /** The whole job for {@code options}: read the dump, compute, write files. */
  public static Pipeline create(
      BackfillOptions options, StallConfig config, Blacklist blacklist, ChannelNames channels) {
    Engine engine = Engine.of(options.getEngine());
    if (engine == null) {
      throw new IllegalArgumentException("--engine: must be sorted or windows, not '" + options.getEngine() + "'");
    }
    Pipeline pipeline = Pipeline.create(options);
    if (engine == Engine.SORTED) {
      PCollection<StallRecord> records =
          StallGraph.buildSorted(
              pipeline.apply("ReadDump", ReadDump.records(options.getInput())),
              config,
              blacklist,
              channels,
              options.getKeyBuckets());
      writeRecords(records, options.getOutput());
      return pipeline;
    }
    PCollectionTuple read = pipeline.apply("ReadDump", ReadDump.from(options.getInput()));
    StallGraph.Outputs outputs =
        StallGraph.build(pipeline, read.get(ReadDump.ROWS), config, blacklist, channels, options.getKeyBuckets());
    PCollection<BadRecord> deadLetters =
        PCollectionList.of(outputs.deadLetters())
            .and(read.get(ReadDump.UNREADABLE))
            .apply("AllDeadLetters", Flatten.pCollections());
    writeFiles(new StallGraph.Outputs(outputs.alerts(), deadLetters), options.getOutput());
    return pipeline;
  }

  /**
   * Writes the batch engine's one stream: alerts to {@code DIR/alerts*.jsonl} and dead letters to
   * {@code DIR/dead-letter*.jsonl}, as {@link #writeFiles} does, by one write with two
   * destinations (so the stream needs no second output to split it). {@link #completeOutputs}
   * adds the empty file of a kind no record had.
   */
  public static void writeRecords(PCollection<StallRecord> records, String directory) {
    records.apply(
        "WriteRecords",
        FileIO.<String, StallRecord>writeDynamic()
            .by((StallRecord r) -> r.kind() == StallRecord.Kind.ALERT ? ALERTS : DEAD_LETTERS)
            .withDestinationCoder(StringUtf8Coder.of())
            .via(Contextful.fn(BackfillJob::json), TextIO.sink())
            .to(directory)
            .withNaming(prefix -> FileIO.Write.defaultNaming(prefix, ".jsonl")));
  }

  private static String json(StallRecord r) {
    return switch (r.kind()) {
      case ALERT -> r.alert().toJson();
      case DEAD_LETTER -> r.deadLetter().toJson();
      default -> throw new IllegalStateException("the backfill writes alerts and dead letters, not a " + r.kind());
    };
  }

  /**
   * After a job: an empty {@code alerts} or {@code dead-letter} file in a local {@code directory}
   * that has none (the batch engine writes a kind only when it has records of it; readers of the
   * output expect both).
   */
  public static void completeOutputs(String directory) throws IOException {
    Path dir = Path.of(directory);
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (String prefix : List.of(ALERTS, DEAD_LETTERS)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "-*.jsonl")) {
        if (!files.iterator().hasNext()) {
          Files.createFile(dir.resolve(prefix + "-00000-of-00001.jsonl"));
        }
      }
    }
  }

  /** Writes alerts to {@code DIR/alerts*.jsonl} and dead letters to {@code DIR/dead-letter*.jsonl}. */
  public static void writeFiles(StallGraph.Outputs outputs, String directory) {
    String dir = directory.endsWith("/") ? directory : directory + "/";
    outputs
        .alerts()
        .apply("AlertJson", MapElements.into(TypeDescriptors.strings()).via(Alert::toJson))
        .apply("WriteAlerts", TextIO.write().to(dir + "alerts").withSuffix(".jsonl"));
    outputs
        .deadLetters()
        .apply("DeadLetterJson", MapElements.into(TypeDescriptors.strings()).via(BadRecord::toJson))
        .apply("WriteDeadLetters", TextIO.write().to(dir + "dead-letter").withSuffix(".jsonl"));
  }
}
