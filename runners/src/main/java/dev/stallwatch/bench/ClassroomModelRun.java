package dev.stallwatch.bench;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.SignalModel;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.classroom.ClassroomTopics;
import dev.stallwatch.pipeline.files.TopicDumps;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.text.Text;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * The classroom backfill in plain, single-threaded Java: the family's models ({@link SignalModel},
 * {@link CourseModel}, {@link AvModel}) over a dump directory, writing the files the backfill
 * writes. In a batch every message is on time, so each is given the earliest stamp. It is the
 * benchmark's floor and the reference its contenders are compared with. Lines that are not UTF-8
 * or too long are not its concern: generated dumps have none.
 */
public final class ClassroomModelRun {
  private ClassroomModelRun() {}

  /** What a run read and wrote. */
  public record Counts(long messages, long signals, long deadLetters) {}

  /** Runs the models over the dumps in {@code input}, writing into {@code output}. */
  public static Counts run(Path input, Path output, ClassroomConfig config) throws IOException {
    Map<String, List<Path>> dumps = TopicDumps.check("--input", input.toString(), ClassroomTopics.INPUTS);
    Files.createDirectories(output);
    long messages = 0;
    List<BadRecord> dead = new ArrayList<>();

    List<SignalModel.Arrival> arrivals = new ArrayList<>();
    for (Message m : read(dumps.get(ClassroomTopics.SIGNALS_IN))) {
      arrivals.add(new SignalModel.Arrival(m, BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()));
    }
    messages += arrivals.size();
    SignalModel.Result signals = SignalModel.of(config.signals()).run(arrivals);
    arrivals = null;
    try (Writer w = writer(output, ClassroomTopics.SIGNALS_OUT)) {
      for (Signal s : signals.signals) {
        line(w, s.toJson());
      }
    }
    try (Writer w = writer(output, ClassroomTables.DEFAULT_SIGNAL_ANALYSIS)) {
      for (SignalCount c : signals.rows) {
        line(w, c.toJson());
      }
    }
    dead.addAll(signals.deadLetters);
    long signalCount = signals.signals.size();
    signals = null;

    List<TimestampedValue<Message>> qos = stamped(read(dumps.get(ClassroomTopics.QOS)));
    messages += qos.size();
    CourseModel.Result courses = CourseModel.of(config.quality()).run(qos);
    try (Writer w = writer(output, ClassroomTables.DEFAULT_TAKE_TIME)) {
      for (CourseDurationRow r : courses.rows) {
        line(w, r.toJson());
      }
    }
    dead.addAll(courses.deadLetters);

    List<TimestampedValue<Message>> av = stamped(read(dumps.get(ClassroomTopics.AV)));
    messages += av.size();
    AvModel.Result quality = AvModel.of(config.quality()).run(av);
    try (Writer w = writer(output, ClassroomTables.DEFAULT_AV_RECORD)) {
      for (AvQualityRow r : quality.rows) {
        line(w, r.toJson());
      }
    }
    dead.addAll(quality.deadLetters);

    try (Writer w = writer(output, ClassroomTopics.DEAD_LETTER_FILE)) {
      for (BadRecord b : dead) {
        line(w, b.toJson());
      }
    }
    return new Counts(messages, signalCount, dead.size());
  }

  private static List<TimestampedValue<Message>> stamped(List<Message> messages) {
    List<TimestampedValue<Message>> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      out.add(TimestampedValue.atMinimumTimestamp(m));
    }
    return out;
  }

  /** The messages of {@code files}, origin {@code file:line} as the backfill writes it. */
  static List<Message> read(List<Path> files) throws IOException {
    List<Message> out = new ArrayList<>();
    for (Path f : files) {
      InputStream in = Files.newInputStream(f);
      if (f.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
        String line;
        long n = 0;
        String origin = f.toString() + ":";
        while ((line = r.readLine()) != null) {
          n++;
          if (n == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          if (!Text.isBlank(line)) {
            out.add(new Message(null, line, origin + n));
          }
        }
      }
    }
    return out;
  }

  private static Writer writer(Path dir, String name) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8), 1 << 16);
  }

  private static void line(Writer w, String text) throws IOException {
    w.write(text);
    w.write('\n');
  }
}
