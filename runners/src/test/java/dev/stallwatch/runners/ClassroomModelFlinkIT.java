package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.reference.AvMessages;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseMessages;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.QosStamps;
import dev.stallwatch.classroom.reference.SignalModel;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.classroom.ClassroomGraph;
import dev.stallwatch.text.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classroom property tests on the real Flink runner (embedded mini-cluster, parallelism 2):
 * generated traffic of all three input topics — signals at minute edges and midnight, duplicates,
 * nested JSON strings, broken messages; {@link CourseMessages}' visits an idle time ±1 ms apart;
 * {@link AvMessages}' window edges and missing fields — each message stamped as a streaming source
 * would (some later than their event time, so the {@code late} path runs too), through {@link
 * ClassroomGraph}, in batch and in streaming mode. Every output equals the models' ({@link
 * SignalModel}, {@link CourseModel}, {@link AvModel}); the tables as an upsert sink ends with them,
 * the row of each key with the largest count (panes accumulate).
 */
class ClassroomModelFlinkIT {
  private static final ZoneId ZONE = ZoneId.of(SignalsConfig.DEFAULT_ZONE);
  private static final Duration IDLE = Duration.standardMinutes(10);
  private static final long BOUND = 30_000L;

  @TempDir Path tmp;

  static Stream<Arguments> runs() {
    return Stream.of(Arguments.of(1L, false), Arguments.of(2L, false), Arguments.of(3L, true));
  }

  @ParameterizedTest(name = "seed {0}, streaming {1}")
  @MethodSource("runs")
  void theGraphOnFlinkGivesTheModelsRows(long seed, boolean streaming) throws IOException {
    ClassroomConfig config = new ClassroomConfig(SignalsConfig.defaults(), QualityConfig.defaults().withCourseIdle(IDLE));
    List<SignalModel.Arrival> signals = SignalMessages.generate(seed, 600);
    QosStamps.Stamped qos =
        QosStamps.stamp(CourseMessages.generate(seed, 40, IDLE.getMillis(), BOUND, ZONE), BOUND, 0);
    QosStamps.Stamped av = QosStamps.stamp(AvMessages.generate(seed, 500, BOUND, 0, ZONE), BOUND, 0);

    SignalModel.Result c1 = SignalModel.of(config.signals()).run(signals);
    CourseModel.Result c4 = CourseModel.of(config.quality()).run(qos.values());
    AvModel.Result c5 = AvModel.of(config.quality()).run(av.values());
    // the traffic exercises what it claims to
    assertTrue(c1.signals.size() > 300 && c1.late > 5 && c1.bad > 5 && c1.ignored > 5, "C1 traffic");
    assertTrue(c1.rows.stream().anyMatch(r -> r.eventCount() > 2), "C3 rows counting several signals");
    assertTrue(c1.rows.stream().anyMatch(r -> r.startTime().endsWith(" 00:00:00")), "a C3 window at midnight");
    assertTrue(c4.rows.size() > 20 && c4.late > 0 && c4.unmatched > 0 && c4.bad > 0, "C4 traffic");
    assertTrue(c5.rows.size() > 50 && c5.late > 0 && c5.bad > 0 && c5.ignored > 0, "C5 traffic");

    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--parallelism=2").as(FlinkPipelineOptions.class);
    options.setStreaming(streaming);
    Pipeline pipeline = Pipeline.create(options);
    List<TimestampedValue<Message>> signalValues = new ArrayList<>();
    for (SignalModel.Arrival a : signals) {
      signalValues.add(TimestampedValue.of(a.message(), new org.joda.time.Instant(a.stampMillis())));
    }
    ClassroomGraph.Outputs out =
        ClassroomGraph.build(
            new ClassroomGraph.Inputs(
                create(pipeline, "Signals", signalValues), create(pipeline, "Qos", qos.values()), create(pipeline, "Av", av.values())),
            config);
    String dir = tmp.resolve("out").toString() + "/";
    out.signalRecords().apply("SignalValues", Values.create()).apply("WriteSignals", write(dir, "signals"));
    text(out.signalCounts(), "C3", SignalCount::toJson).apply("WriteC3", write(dir, "c3"));
    text(out.courseDurations(), "C4", CourseDurationRow::toJson).apply("WriteC4", write(dir, "c4"));
    text(out.avQuality(), "C5", AvQualityRow::toJson).apply("WriteC5", write(dir, "c5"));
    text(out.deadLetters(), "Dead", BadRecord::toJson).apply("WriteDead", write(dir, "dead"));
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    assertEquals(PipelineResult.State.DONE, state);

    assertEquals(sorted(c1.signals.stream().map(Signal::toJson).toList()), lines(dir, "signals"), "C1");
    assertEquals(sorted(c1.rows.stream().map(SignalCount::toJson).toList()), finalRows(lines(dir, "c3"), C3_KEY), "C3");
    assertEquals(sorted(c4.rows.stream().map(CourseDurationRow::toJson).toList()), lines(dir, "c4"), "C4");
    assertEquals(sorted(c5.rows.stream().map(AvQualityRow::toJson).toList()), finalRows(lines(dir, "c5"), C5_KEY), "C5");
    List<String> dead = new ArrayList<>();
    Stream.of(c1.deadLetters, c4.deadLetters, c5.deadLetters).forEach(l -> l.forEach(b -> dead.add(b.toJson())));
    assertEquals(sorted(dead), lines(dir, "dead"), "dead letters");
  }

  private static final List<String> C3_KEY = List.of("start_time", "webserver_id", "user_id", "role", "event");
  private static final List<String> C5_KEY =
      List.of("start_time", "user_id", "web_server_id", "classroom_id", "user_type", "extra_uid", "event");

  private static PCollection<Message> create(Pipeline p, String name, List<TimestampedValue<Message>> values) {
    return p.apply(name, Create.timestamped(values).withCoder(Message.MessageCoder.of()));
  }

  private static <T> PCollection<String> text(PCollection<T> rows, String name, org.apache.beam.sdk.transforms.SerializableFunction<T, String> f) {
    return rows.apply(name + "Json", MapElements.into(TypeDescriptors.strings()).via(f));
  }

  private static TextIO.Write write(String dir, String name) {
    return TextIO.write().to(dir + name).withSuffix(".jsonl").withoutSharding();
  }

  /** The file's lines, sorted; none when the runner wrote no file for an empty output. */
  private static List<String> lines(String dir, String name) throws IOException {
    Path p = Path.of(dir, name + ".jsonl");
    return Files.exists(p) ? sorted(Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList()) : List.of();
  }

  /** Of the rows (one per pane) of each upsert key, the one with the largest {@code event_count}, sorted. */
  private static List<String> finalRows(List<String> rows, List<String> key) {
    Map<List<Object>, String> last = new LinkedHashMap<>();
    Map<List<Object>, Long> counts = new LinkedHashMap<>();
    for (String row : rows) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) JsonReader.parse(row);
      List<Object> k = key.stream().map(fields::get).toList();
      long count = ((java.math.BigDecimal) fields.get("event_count")).longValueExact();
      if (!counts.containsKey(k) || count > counts.get(k)) {
        counts.put(k, count);
        last.put(k, row);
      }
    }
    return sorted(new ArrayList<>(last.values()));
  }

  private static List<String> sorted(List<String> lines) {
    List<String> out = new ArrayList<>(lines);
    out.sort(null);
    return out;
  }

  /**
   * Generated {@code timeline_client_topic} messages: student signals of four users in three rooms
   * around local midnight, a quarter on a minute's edge or 1 ms either side; exact repeats (C3
   * counts them once); teacher and other client messages; broken ones. Nested objects
   * come as objects or JSON strings, names in any case, numbers as text, times as epoch ms or
   * local text. Most are stamped at the beginning of time (on time); one signal in twenty is
   * stamped after its event time, as a source stamps a record too late for its window.
   */
  static final class SignalMessages {
    private static final String[][] CELLS = {
      {"", "shape", "move", ""},
      {"", "shape", "mouse", "over"},
      {"", "shape", "add", ""},
      {"", "template", "audio", "start"},
      {"", "template", "audio", "pause"},
      {"match", "template", "match", "drop:wrong"},
      {"match", "template", "match", "drop:correct"},
    };

    private final Random r;
    private final long base;
    private final List<SignalModel.Arrival> out = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();

    private SignalMessages(long seed) {
      r = new Random(seed);
      base = LocalDateTime.parse("2024-03-20T23:58:00").atZone(ZONE).toInstant().toEpochMilli();
    }

    static List<SignalModel.Arrival> generate(long seed, int count) {
      SignalMessages g = new SignalMessages(seed);
      for (int i = 0; i < count; i++) {
        g.next(i);
      }
      return g.out;
    }

    private void next(int i) {
      long onTime = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
      int roll = r.nextInt(100);
      if (roll < 8 && !sent.isEmpty()) {
        add(sent.get(r.nextInt(sent.size())), onTime, i);
        return;
      }
      long t = r.nextInt(4) == 0 ? base + 60_000L * r.nextInt(4) + r.nextInt(3) - 1 : base + r.nextInt(240_000);
      String value;
      if (roll < 80) {
        String[] cells = CELLS[r.nextInt(CELLS.length)];
        value = signal("u" + r.nextInt(4), "r" + r.nextInt(3), "2", "305", "116", cells, time(t), t);
        sent.add(value);
        add(value, r.nextInt(20) == 0 ? t + 1 + r.nextInt(60_000) : onTime, i);
        return;
      }
      if (roll < 90) {
        String[] cells = CELLS[r.nextInt(CELLS.length)];
        value =
            switch (r.nextInt(3)) {
              case 0 -> signal("t1", "r0", "1", "305", "116", cells, time(t), t); // a teacher
              case 1 -> signal("u1", "r0", "2", "305", "117", cells, time(t), t); // another message type
              default -> signal("u2", "r1", "2", "305", "116", new String[] {"", "slide", "move", ""}, time(t), t); // no rule
            };
      } else {
        String[] cells = CELLS[r.nextInt(CELLS.length)];
        value =
            switch (r.nextInt(4)) {
              case 0 -> "{\"data\":{\"msgid\":305";
              case 1 -> signal("u1", "r1", "2", "305", "116", cells, null, t); // no timestamp
              case 2 -> signal(null, "r1", "2", "305", "116", cells, time(t), t); // no userid
              default -> signal("u1", "r1", "2", "305", "116", cells, "\"soon\"", t);
            };
      }
      add(value, onTime, i);
    }

    private void add(String value, long stamp, int i) {
      out.add(new SignalModel.Arrival(new Message(r.nextInt(3) == 0 ? null : "k" + r.nextInt(4), value, "timeline_client_topic-0@" + i), stamp));
    }

    private String name(String n) {
      return switch (r.nextInt(5)) {
        case 0 -> n.toUpperCase(Locale.ROOT);
        case 1 -> Character.toUpperCase(n.charAt(0)) + n.substring(1);
        default -> n;
      };
    }

    private String number(String n) {
      return r.nextBoolean() ? n : "\"" + n + "\"";
    }

    /** A time as JSON: epoch ms as a number or text, or local text. */
    private String time(long t) {
      return switch (r.nextInt(3)) {
        case 0 -> "\"" + t + "\"";
        case 1 -> "\"" + LocalDateTime.ofInstant(Instant.ofEpochMilli(t), ZONE).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")) + "\"";
        default -> Long.toString(t);
      };
    }

    /** An object's text, or (one time in three) a JSON string holding it. */
    private String nested(String object) {
      return r.nextInt(3) == 0 ? quote(object) : object;
    }

    private String signal(String user, String room, String role, String msgid, String msgtype, String[] cells, String time, long t) {
      String[] names = {"target_id", "target_type", "action", "sub_action"};
      StringBuilder data = new StringBuilder("{");
      for (int k = 0; k < 4; k++) {
        String v = cells[k].isEmpty() && r.nextBoolean() ? "x" + r.nextInt(2) : cells[k];
        if (!v.isEmpty() || r.nextBoolean()) {
          data.append(quote(name(names[k]))).append(':').append(quote(v)).append(',');
        }
      }
      data.append(quote(name("page_index"))).append(':').append(number(Integer.toString(r.nextInt(3)))).append('}');
      String msg = "{" + quote(name("msgtype")) + ":" + number(msgtype) + "," + quote(name("msg_data")) + ":" + nested(data.toString()) + "}";
      StringBuilder d = new StringBuilder("{");
      if (user != null) {
        d.append(quote(name("userid"))).append(':').append(quote(user)).append(',');
      }
      d.append(quote(name("roomId"))).append(':').append(quote(room)).append(',');
      if (time != null) {
        d.append(quote(name("timestamp"))).append(':').append(time).append(',');
      }
      d.append(quote(name("role"))).append(':').append(number(role)).append(',');
      d.append(quote(name("msgid"))).append(':').append(number(msgid)).append(',');
      d.append(quote(name("msg"))).append(':').append(nested(msg)).append('}');
      return "{" + quote(name("createTime")) + ":" + quote("c" + (t + r.nextInt(2))) + "," + quote(name("data")) + ":" + nested(d.toString()) + "}";
    }

    private static String quote(String s) {
      StringBuilder sb = new StringBuilder();
      dev.stallwatch.text.JsonWriter.quote(s, sb);
      return sb.toString();
    }
  }
}
