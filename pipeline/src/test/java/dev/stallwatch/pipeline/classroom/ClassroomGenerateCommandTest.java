package dev.stallwatch.pipeline.classroom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.SignalModel;
import dev.stallwatch.pipeline.cli.StallWatch;
import dev.stallwatch.pipeline.files.ClassroomGeneratedDump;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.options.BackfillOptions;
import dev.stallwatch.pipeline.options.ClassroomBackfillOptions;
import dev.stallwatch.pipeline.options.ClassroomGenerateOptions;
import dev.stallwatch.pipeline.options.GenerateOptions;
import dev.stallwatch.pipeline.options.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stallwatch classroom generate}: its dumps are what {@code classroom backfill} reads, and
 * the backfill's tables hold what the reference models give over the same messages.
 */
class ClassroomGenerateCommandTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return new StallWatch(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    if (file.toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      }
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  private static List<Message> messages(Path dump) throws IOException {
    List<Message> messages = new ArrayList<>();
    List<String> lines = lines(dump);
    for (int i = 0; i < lines.size(); i++) {
      messages.add(new Message(null, lines.get(i), dump + ":" + (i + 1)));
    }
    return messages;
  }

  @Test
  void theBackfillOfAGeneratedDayHoldsWhatTheModelsGive() throws IOException {
    Path dumps = tmp.resolve("dumps");
    assertEquals(0, run("classroom", "generate", "--output=" + dumps, "--students=12", "--rooms=1", "--seed=4"), err());
    assertTrue(out().startsWith("wrote ") && out().contains("12 students in 1 rooms"), out());
    for (String topic : ClassroomTopics.INPUTS) {
      assertTrue(Files.size(dumps.resolve(topic + ".jsonl")) > 0, topic);
    }
    Path tables = tmp.resolve("tables");
    assertEquals(0, run("classroom", "backfill", "--input=" + dumps, "--output=" + tables), err());

    long never = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis(); // in a batch every message is on time
    List<SignalModel.Arrival> arrivals = new ArrayList<>();
    messages(dumps.resolve(ClassroomTopics.SIGNALS_IN + ".jsonl")).forEach(m -> arrivals.add(new SignalModel.Arrival(m, never)));
    SignalModel.Result signals = SignalModel.of(SignalsConfig.defaults()).run(arrivals);
    CourseModel.Result course = CourseModel.of(QualityConfig.defaults()).run(stamped(dumps.resolve(ClassroomTopics.QOS + ".jsonl")));
    AvModel.Result av = AvModel.of(QualityConfig.defaults()).run(stamped(dumps.resolve(ClassroomTopics.AV + ".jsonl")));
    assertFalse(signals.rows.isEmpty() || course.rows.isEmpty() || av.rows.isEmpty());

    // every output file, C2's, C6's and C7's too, holds exactly what the models give
    Map<String, List<String>> want =
        ConformanceCases.comparable(ConformanceCases.expected(ConformanceCases.messagesIn(dumps), ClassroomConfig.defaults()));
    Map<String, List<String>> got = ConformanceCases.comparable(ConformanceCases.files(tables));
    for (String file : ConformanceCases.FILES) {
      assertEquals(want.get(file), got.get(file), file);
      if (!file.equals(ConformanceCases.DEAD_LETTERS)) {
        assertFalse(want.get(file).isEmpty(), file + " has rows");
      }
    }
    assertTrue(signals.bad > 0 && course.bad > 0 && av.bad > 0, "every topic has bad messages on purpose");
  }

  private static List<TimestampedValue<Message>> stamped(Path dump) throws IOException {
    List<TimestampedValue<Message>> out = new ArrayList<>();
    messages(dump).forEach(m -> out.add(TimestampedValue.of(m, BoundedWindow.TIMESTAMP_MIN_VALUE)));
    return out;
  }

  @Test
  void theDumpsAreTheGeneratorsMessagesInDueOrderTheSameForASeed() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path gz = tmp.resolve("gz");
    assertEquals(0, run("classroom", "generate", "--output=" + a, "--students=8", "--seed=9", "--schoolDays=2"), err());
    assertEquals(0, run("classroom", "generate", "--output=" + b, "--students=8", "--seed=9", "--schoolDays=2"), err());
    assertEquals(0, run("classroom", "generate", "--output=" + gz, "--students=8", "--seed=9", "--schoolDays=2", "--compress"), err());
    Map<String, List<ClassroomGenerator.Generated>> generated =
        ClassroomGenerator.builder().seed(9).students(8).days(2).accounts(true).build().byTopic();
    for (String topic : ClassroomTopics.INPUTS) {
      Path file = a.resolve(topic + ".jsonl");
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(b.resolve(topic + ".jsonl")), topic);
      List<String> expected = generated.get(topic).stream().map(ClassroomGenerator.Generated::json).toList();
      assertEquals(expected, lines(file), topic);
      assertEquals(expected, lines(gz.resolve(topic + ".jsonl.gz")), topic);
      assertFalse(Files.exists(gz.resolve(topic + ".jsonl")));
    }
    // the Java API writes the same
    Path api = tmp.resolve("api");
    ClassroomGeneratedDump.Written written =
        ClassroomGeneratedDump.write(ClassroomGenerator.builder().seed(9).students(8).days(2).accounts(true).build(), api, false);
    for (String topic : ClassroomTopics.INPUTS) {
      assertEquals(generated.get(topic).size(), written.lines().get(topic));
      assertArrayEquals(Files.readAllBytes(a.resolve(topic + ".jsonl")), Files.readAllBytes(written.files().get(topic)));
    }
    // a directory already holding the other compression would be read twice by a backfill
    assertEquals(2, run("classroom", "generate", "--output=" + a, "--students=8", "--compress"));
    assertTrue(err().contains("another dump of"), err());
  }

  @Test
  void mistakesAreOneLineAndExitTwo() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String[][] cases = {
      {"classroom", "generate"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--bootstrapServers=localhost:9092"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--startDate=2024-13-01"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--timeZone=Mars/Olympus"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--students=0"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--signals=-1"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--schoolDays=400"},
      {"classroom", "generate", "--output=" + tmp.resolve("o"), "--nosuch=1"},
      {"classroom", "generate", "--output=" + file},
      {"classroom", "generate", "--bootstrapServers=localhost:9", "--qosTopic= "},
    };
    for (String[] args : cases) {
      assertEquals(2, run(args), String.join(" ", args) + "\n" + out() + err());
      assertEquals(1, err().lines().count(), String.join(" ", args) + "\n" + err());
      assertTrue(err().startsWith("stallwatch classroom generate: "), err());
    }
  }

  @Test
  void helpNamesEveryOption() {
    assertEquals(0, run("classroom", "--help"));
    assertTrue(out().contains("generate"), out());
    assertEquals(0, run("classroom", "generate", "--help"));
    for (String option :
        List.of("--output=DIR", "--compress", "--seed=N", "--students=N", "--signals=N", "--rooms=N", "--schoolDays=N",
            "--startDate=DATE", "--timeZone=ZONE", "--bootstrapServers=HOSTS", "--signalsTopic=TOPIC", "--qosTopic=TOPIC",
            "--avTopic=TOPIC", "--speed=FACTOR", "--kafkaProperties=FILE")) {
      assertTrue(out().contains(option), option + " in\n" + out());
    }
    assertTrue(out().startsWith("usage: stallwatch classroom generate"), out());
  }

  /** Beam keeps one registry of options per JVM: these options must not contradict any other command's. */
  @Test
  void theOptionsLiveBesideEveryOtherCommandsInOneJvm() {
    PipelineOptionsFactory.register(GenerateOptions.class);
    PipelineOptionsFactory.register(BackfillOptions.class);
    PipelineOptionsFactory.register(RunOptions.class);
    PipelineOptionsFactory.register(ClassroomBackfillOptions.class);
    PipelineOptionsFactory.register(ClassroomGenerateOptions.class);
    ClassroomGenerateOptions o = PipelineOptionsFactory.fromArgs("--schoolDays=3").as(ClassroomGenerateOptions.class);
    assertEquals(3, o.getSchoolDays());
    assertEquals(1, o.getSeed());
    assertEquals(0, run("generate", "--help"));
    assertEquals(0, run("classroom", "generate", "--help"));
  }
}
