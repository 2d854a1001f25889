package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.files.ReadMessages;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The classroom backfill: one or more dumps per input topic in; one {@code .jsonl} per sink out,
 * named by its topic or table, one row a line as the streaming job writes it, and {@code
 * dead-letter.jsonl}. In a batch every message is on time, so each table's file holds each key
 * once: the row the streaming job's table ends with. The updating counts (C6's index, C7's {@code
 * staff_index}) hold each group's final count, groups that end at 0 left out ({@link FinalCounts});
 * C2's dictionary each id's latest row.
 */
public final class ClassroomBackfillJob {
  private ClassroomBackfillJob() {}

  /** The files a backfill writes into its output directory, without {@code .jsonl}. */
  public static final List<String> OUTPUTS =
      List.of(
          ClassroomTopics.SIGNALS_OUT,
          ClassroomTables.DEFAULT_SIGNAL_ANALYSIS,
          ClassroomTables.DEFAULT_TAKE_TIME,
          ClassroomTables.DEFAULT_AV_RECORD,
          ClassroomTopics.LEVEL_TABLE,
          ClassroomTopics.REGISTRATIONS_INDEX,
          ClassroomTopics.STAFF_TABLE,
          ClassroomTopics.DEAD_LETTER_FILE);

  /** The job over {@code dumps} (files by input topic) writing into {@code output}. */
  public static Pipeline create(
      org.apache.beam.sdk.options.PipelineOptions options,
      ClassroomConfig config,
      Map<String, List<Path>> dumps,
      String output) {
    Pipeline pipeline = Pipeline.create(options);
    List<PCollection<BadRecord>> unreadable = new ArrayList<>();
    ClassroomGraph.Inputs inputs =
        new ClassroomGraph.Inputs(
            read(pipeline, ClassroomTopics.SIGNALS_IN, dumps, unreadable),
            read(pipeline, ClassroomTopics.QOS, dumps, unreadable),
            read(pipeline, ClassroomTopics.AV, dumps, unreadable));
    ClassroomGraph.Outputs out = ClassroomGraph.build(inputs, config);
    CountsGraph.Outputs counts =
        CountsGraph.build(
            new CountsGraph.Inputs(
                read(pipeline, ClassroomTopics.LEVELS, dumps, unreadable),
                read(pipeline, ClassroomTopics.STUDENTS, dumps, unreadable),
                read(pipeline, ClassroomTopics.USERS, dumps, unreadable),
                read(pipeline, ClassroomTopics.ORDERS, dumps, unreadable)),
            config);
    String dir = output.endsWith("/") ? output : output + "/";
    out.signalRecords()
        .apply("SignalValues", Values.create())
        .apply("WriteSignals", write(dir, ClassroomTopics.SIGNALS_OUT));
    out.signalCounts()
        .apply("SignalCountJson", MapElements.into(TypeDescriptors.strings()).via(SignalCount::toJson))
        .apply("WriteSignalCounts", write(dir, ClassroomTables.DEFAULT_SIGNAL_ANALYSIS));
    out.courseDurations()
        .apply("CourseDurationJson", MapElements.into(TypeDescriptors.strings()).via(CourseDurationRow::toJson))
        .apply("WriteCourseDurations", write(dir, ClassroomTables.DEFAULT_TAKE_TIME));
    out.avQuality()
        .apply("AvQualityJson", MapElements.into(TypeDescriptors.strings()).via(AvQualityRow::toJson))
        .apply("WriteAvQuality", write(dir, ClassroomTables.DEFAULT_AV_RECORD));
    ZoneId zone = ZoneId.of(config.quality().zoneId());
    counts.levels()
        .apply("FinalLevels", FinalCounts.levels())
        .apply("LevelJson", MapElements.into(TypeDescriptors.strings()).via((LevelEntry e) -> CountsRows.levelJson(e, zone)))
        .apply("WriteLevels", write(dir, ClassroomTopics.LEVEL_TABLE));
    counts.registrations()
        .apply("FinalRegistrations", FinalCounts.counts())
        .apply("RegistrationJson", MapElements.into(TypeDescriptors.strings()).via(CountsRows::registrationJson))
        .apply("WriteRegistrations", write(dir, ClassroomTopics.REGISTRATIONS_INDEX));
    counts.confirmations()
        .apply("FinalConfirmations", FinalCounts.counts())
        .apply("StaffJson", MapElements.into(TypeDescriptors.strings()).via(CountsRows::staffJson))
        .apply("WriteStaff", write(dir, ClassroomTopics.STAFF_TABLE));
    PCollectionList<BadRecord> all = PCollectionList.of(out.deadLetters()).and(counts.deadLetters());
    for (PCollection<BadRecord> u : unreadable) {
      all = all.and(u);
    }
    all.apply("AllDeadLetters", Flatten.pCollections())
        .apply("DeadLetterJson", MapElements.into(TypeDescriptors.strings()).via(BadRecord::toJson))
        .apply("WriteDeadLetters", write(dir, ClassroomTopics.DEAD_LETTER_FILE));
    return pipeline;
  }

  private static PCollection<Message> read(
      Pipeline pipeline, String topic, Map<String, List<Path>> dumps, List<PCollection<BadRecord>> unreadable) {
    List<String> files = dumps.getOrDefault(topic, List.of()).stream().map(Path::toString).toList();
    PCollectionTuple read = pipeline.apply("Read/" + topic, ReadMessages.of(files));
    unreadable.add(read.get(ReadMessages.UNREADABLE));
    return read.get(ReadMessages.MESSAGES);
  }

  private static TextIO.Write write(String dir, String name) {
    return TextIO.write().to(dir + name).withSuffix(".jsonl").withoutSharding();
  }

  /**
   * Creates {@code output} and removes the files an earlier backfill wrote there ({@link #OUTPUTS});
   * answers how many it removed. Refuses, removing nothing, when {@code output} is the input
   * directory.
   */
  public static int prepareOutput(String output, String input) {
    Path dir = Path.of(output).toAbsolutePath().normalize();
    if (dir.equals(Path.of(input).toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--output: " + output + " is the input directory; give another");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--output: " + dir + " is a file; give a directory");
    }
    try {
      Files.createDirectories(dir);
      int removed = 0;
      for (String name : OUTPUTS) {
        if (Files.deleteIfExists(dir.resolve(name + ".jsonl"))) {
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw new IllegalArgumentException("--output: cannot write to " + dir + ": " + e.getMessage());
    }
  }
}
