package dev.stallwatch.pipeline.classroom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.parse.LevelParser;
import dev.stallwatch.classroom.parse.RowParser;
import dev.stallwatch.classroom.parse.OrderParser;
import dev.stallwatch.classroom.parse.StudentParser;
import dev.stallwatch.classroom.parse.UserParser;
import dev.stallwatch.classroom.reference.ConsultantModel;
import dev.stallwatch.classroom.reference.RegistrationModel;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalRules;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.SignalModel;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.JsonWriter;
import dev.stallwatch.text.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * The classroom conformance cases in {@code src/classroom-conformance} (see its README.md): each
 * case's input dumps, the backfill's command line for it, and its expected output files as the
 * plain-Java models ({@link SignalModel}, {@link CourseModel}, {@link AvModel}, {@link
 * RegistrationModel}, {@link ConsultantModel}, and each dictionary id's latest row for C2) compute
 * them. The
 * backfill under test never writes an expected file.
 *
 * <p>{@link #main} rewrites every case's {@code expected/} after a model change. Maven runs it, on
 * the test class path, from the project's root:
 *
 * <pre>
 * mvn -o -q -pl pipeline test -Dtest=ClassroomConformanceTest#regenerateExpected -Dclassroom.regenerate=true
 * </pre>
 */
public final class ConformanceCases {
  private ConformanceCases() {}

  /** The output files of a backfill, by name without {@code .jsonl}, in the job's order. */
  public static final List<String> FILES = ClassroomBackfillJob.OUTPUTS;

  /** The dead letters' file, without {@code .jsonl}. */
  public static final String DEAD_LETTERS = ClassroomTopics.DEAD_LETTER_FILE;

  /** The file of a case that, when present, replaces C1's default event table. */
  public static final String SIGNAL_RULES = "signal-rules.txt";

  /** The cases' folder: {@code src/classroom-conformance} under the project's root. */
  public static Path root() {
    return Path.of(System.getProperty("stallwatch.root", ".")).toAbsolutePath().resolve("src/classroom-conformance").normalize();
  }

  /** The case folders (those with an {@code input/}), sorted; the test is skipped without any. */
  public static List<Path> cases() {
    Path root = root();
    assumeTrue(Files.isDirectory(root), "no classroom conformance cases at " + root);
    return list(root).stream().filter(p -> Files.isDirectory(p.resolve("input"))).toList();
  }

  /**
   * The arguments after {@code stallwatch} of the case's backfill into {@code output}; {@code extra}
   * (a runner, say) follow.
   */
  public static String[] backfillArgs(Path caseDir, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("classroom", "backfill", "--input=" + caseDir.resolve("input"), "--output=" + output));
    if (Files.exists(caseDir.resolve(SIGNAL_RULES))) {
      args.add("--signalRules=" + caseDir.resolve(SIGNAL_RULES));
    }
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** The settings of the case: CLASSROOM.md's defaults, with the case's event table if it has one. */
  public static ClassroomConfig config(Path caseDir) {
    ClassroomConfig defaults = ClassroomConfig.defaults();
    Path rules = caseDir.resolve(SIGNAL_RULES);
    if (!Files.exists(rules)) {
      return defaults;
    }
    SignalsConfig signals = defaults.signals().toBuilder().rules(SignalRules.parse(read(rules))).build();
    return new ClassroomConfig(signals, defaults.quality());
  }

  /**
   * Each input topic's messages as the backfill reads them: one per non-blank line of the topic's
   * dumps (files in name order), origin {@code input/FILE:LINE}, no key. A dump is named {@code
   * TOPIC.jsonl} or {@code TOPIC-PART.jsonl}.
   */
  public static Map<String, List<Message>> messages(Path caseDir) {
    return messagesIn(caseDir.resolve("input"));
  }

  /** The messages of the dumps in {@code dir}, as {@link #messages} reads a case's. */
  public static Map<String, List<Message>> messagesIn(Path dir) {
    Map<String, List<Message>> byTopic = new LinkedHashMap<>();
    ClassroomTopics.INPUTS.forEach(t -> byTopic.put(t, new ArrayList<>()));
    for (Path file : list(dir)) {
      String name = file.getFileName().toString();
      String topic = topicOf(name);
      List<String> lines = read(file).lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        if (!Text.isBlank(lines.get(i))) {
          byTopic.get(topic).add(new Message(null, lines.get(i), "input/" + name + ":" + (i + 1)));
        }
      }
    }
    return byTopic;
  }

  private static String topicOf(String fileName) {
    for (String t : ClassroomTopics.INPUTS) {
      if (fileName.equals(t + ".jsonl") || (fileName.startsWith(t + "-") && fileName.endsWith(".jsonl"))) {
        return t;
      }
    }
    throw new IllegalArgumentException(fileName + ": not TOPIC.jsonl or TOPIC-PART.jsonl of " + ClassroomTopics.INPUTS);
  }

  /**
   * The models' output for the case, by output file: each file's lines sorted. In a batch every
   * message is on time: its source stamps it at the beginning of time.
   */
  public static Map<String, List<String>> expected(Path caseDir) {
    return expected(messages(caseDir), config(caseDir));
  }

  /** The models' output for these messages by input topic under {@code config}, as {@link #expected(Path)}. */
  public static Map<String, List<String>> expected(Map<String, List<Message>> in, ClassroomConfig config) {
    long stamp = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
    List<SignalModel.Arrival> arrivals = new ArrayList<>();
    in.get(ClassroomTopics.SIGNALS_IN).forEach(m -> arrivals.add(new SignalModel.Arrival(m, stamp)));
    SignalModel.Result signals = SignalModel.of(config.signals()).run(arrivals);
    CourseModel.Result courses = CourseModel.of(config.quality()).run(stamped(in.get(ClassroomTopics.QOS), stamp));
    AvModel.Result av = AvModel.of(config.quality()).run(stamped(in.get(ClassroomTopics.AV), stamp));

    List<String> dead = new ArrayList<>();
    for (List<BadRecord> letters : List.of(signals.deadLetters, courses.deadLetters, av.deadLetters)) {
      letters.forEach(b -> dead.add(b.toJson()));
    }
    java.time.ZoneId zone = config.quality().zone();
    List<LevelEntry> levels = parsed(in.get(ClassroomTopics.LEVELS), new LevelParser(zone), dead);
    List<StudentRow> students = parsed(in.get(ClassroomTopics.STUDENTS), new StudentParser(zone), dead);
    List<UserRow> users = parsed(in.get(ClassroomTopics.USERS), new UserParser(zone), dead);
    List<OrderRow> orders = parsed(in.get(ClassroomTopics.ORDERS), new OrderParser(zone), dead);
    Map<String, LevelEntry> latest = new java.util.TreeMap<>();
    levels.forEach(e -> latest.merge(e.id(), e, LevelEntry::latest));
    List<String> leads = new ArrayList<>();
    RegistrationModel.leads(students, users, levels, config.counts().filter(), zone)
        .forEach((uk, n) -> leads.add(CountsRows.registrationJson(new GroupCount(uk, n, 1))));
    List<String> staff = new ArrayList<>();
    ConsultantModel.confirmations(orders, zone)
        .forEach((group, n) -> staff.add(CountsRows.staffJson(new GroupCount(group, n, 1))));
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put(ClassroomTopics.SIGNALS_OUT, sorted(signals.signals.stream().map(Signal::toJson).toList()));
    out.put(ClassroomTables.DEFAULT_SIGNAL_ANALYSIS, sorted(signals.rows.stream().map(SignalCount::toJson).toList()));
    out.put(ClassroomTables.DEFAULT_TAKE_TIME, sorted(courses.rows.stream().map(CourseDurationRow::toJson).toList()));
    out.put(ClassroomTables.DEFAULT_AV_RECORD, sorted(av.rows.stream().map(AvQualityRow::toJson).toList()));
    out.put(ClassroomTopics.LEVEL_TABLE, sorted(latest.values().stream().map(e -> CountsRows.levelJson(e, zone)).toList()));
    out.put(ClassroomTopics.REGISTRATIONS_INDEX, sorted(leads));
    out.put(ClassroomTopics.STAFF_TABLE, sorted(staff));
    out.put(DEAD_LETTERS, sorted(dead));
    return out;
  }

  /** The rows a parser reads from {@code messages}; the others' dead letters added to {@code dead}. */
  private static <T> List<T> parsed(List<Message> messages, RowParser<T> parser, List<String> dead) {
    List<T> rows = new ArrayList<>();
    for (Message m : messages) {
      RowParser.Parsed<T> p = parser.parse(m);
      if (p.ok()) {
        rows.add(p.row());
      } else {
        dead.add(BadRecord.of(m.value(), m.origin(), p.reason()).toJson());
      }
    }
    return rows;
  }

  private static List<TimestampedValue<Message>> stamped(List<Message> messages, long stamp) {
    return messages.stream().map(m -> TimestampedValue.of(m, new org.joda.time.Instant(stamp))).toList();
  }

  /** The case's checked-in {@code expected/} files, by output file, lines as written. */
  public static Map<String, List<String>> checkedIn(Path caseDir) {
    return files(caseDir.resolve("expected"));
  }

  /** The output files in {@code dir}, by name; a missing file is no lines. */
  public static Map<String, List<String>> files(Path dir) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : FILES) {
      Path p = dir.resolve(name + ".jsonl");
      out.put(name, Files.exists(p) ? read(p).lines().filter(l -> !l.isBlank()).toList() : List.of());
    }
    return out;
  }

  /**
   * Lines of output file {@code name} in a form two runs can be compared in: sorted; a dead
   * letter's origin cut to its file's name and line ({@code qos_log.jsonl:3}), since the
   * backfill writes the dump's absolute path and the expected file a path relative to its case.
   */
  public static List<String> comparable(String name, List<String> lines) {
    if (!name.equals(DEAD_LETTERS)) {
      return sorted(lines);
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      @SuppressWarnings("unchecked")
      Map<String, Object> letter = (Map<String, Object>) JsonReader.parse(line);
      String origin = (String) letter.get("origin");
      out.add(
          new JsonWriter(line.length())
              .field("raw", (String) letter.get("raw"))
              .field("origin", origin.substring(origin.lastIndexOf('/') + 1))
              .field("reason", (String) letter.get("reason"))
              .end());
    }
    return sorted(out);
  }

  /** Every output file of {@code files} in {@link #comparable} form. */
  public static Map<String, List<String>> comparable(Map<String, List<String>> files) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    files.forEach((name, lines) -> out.put(name, comparable(name, lines)));
    return out;
  }

  /** Writes each case's {@code expected/} from the models. Argument: the project's root (default {@code .}). */
  public static void main(String[] args) throws IOException {
    if (args.length > 0) {
      System.setProperty("stallwatch.root", args[0]);
    }
    Path root = root();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("no classroom conformance cases at " + root);
    }
    for (Path c : list(root).stream().filter(p -> Files.isDirectory(p.resolve("input"))).toList()) {
      Path dir = Files.createDirectories(c.resolve("expected"));
      StringBuilder counts = new StringBuilder();
      for (Map.Entry<String, List<String>> e : expected(c).entrySet()) {
        StringBuilder text = new StringBuilder();
        e.getValue().forEach(l -> text.append(l).append('\n'));
        Files.writeString(dir.resolve(e.getKey() + ".jsonl"), text, StandardCharsets.UTF_8);
        counts.append(' ').append(e.getKey()).append('=').append(e.getValue().size());
      }
      System.out.println(c.getFileName() + ":" + counts);
    }
  }

  private static List<String> sorted(List<String> lines) {
    List<String> out = new ArrayList<>(lines);
    out.sort(null);
    return out;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
