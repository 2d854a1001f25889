package dev.stallwatch.pipeline.stall;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
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
  private BackfillJob() {}

  /** The whole job for {@code options}: read the dump, compute, write files. */
  public static Pipeline create(
      BackfillOptions options, StallConfig config, Blacklist blacklist, ChannelNames channels) {
    Pipeline pipeline = Pipeline.create(options);
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
