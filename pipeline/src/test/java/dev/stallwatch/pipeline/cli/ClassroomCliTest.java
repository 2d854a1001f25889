package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.classroom.ClassroomBackfillJob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.pipeline.options.BackfillOptions;
import dev.stallwatch.pipeline.options.ClassroomBackfillOptions;
import dev.stallwatch.pipeline.options.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stallwatch classroom ...}: its help, exit statuses, one-line errors and a real backfill. */
class ClassroomCliTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return new StallWatch(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theFamilyIsListedAndHasItsOwnHelp() {
    assertEquals(0, run("--help"));
    assertTrue(out().contains("classroom"), out());
    assertEquals(0, run("classroom", "--help"));
    assertTrue(out().contains("usage: stallwatch classroom <command>") && out().contains("backfill"), out());
    assertEquals(2, run("classroom"));
    assertEquals(0, run("classroom", "backfill", "--help"));
    for (String option :
        List.of("--input=DIR", "--output=DIR", "--timeZone=ZONE", "--signalRules=FILE", "--signalLateness=SECONDS",
            "--avLateness=SECONDS", "--courseIdle=SECONDS", "--jsonSummary", "--runner=RUNNER")) {
      assertTrue(out().contains(option), option + " in\n" + out());
    }
    assertTrue(out().startsWith("usage: stallwatch classroom backfill"), out());
    assertTrue(out().contains("default: Asia/Shanghai") && out().contains("default: 86400"), out());
  }

  /** Beam keeps one registry of options per JVM: the families' options must not contradict. */
  @Test
  void bothFamiliesOptionsLiveTogetherInOneJvm() {
    PipelineOptionsFactory.register(BackfillOptions.class);
    PipelineOptionsFactory.register(RunOptions.class);
    PipelineOptionsFactory.register(ClassroomBackfillOptions.class);
    ClassroomBackfillOptions o =
        PipelineOptionsFactory.fromArgs("--input=a", "--output=b").as(ClassroomBackfillOptions.class);
    assertEquals("Asia/Shanghai", dev.stallwatch.pipeline.classroom.ClassroomConfig.from(o).signals().zoneId());
    assertEquals(0, run("backfill", "--help"));
    assertEquals(0, run("classroom", "backfill", "--help"));
  }

  @Test
  void mistakesAreOneLineAndExitTwo() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("qos_log.jsonl"), "{}\n");
    String[][] cases = {
      {"classroom", "nosuch"},
      {"classroom", "backfill", "--output=" + tmp.resolve("out")},
      {"classroom", "backfill", "--input=" + tmp.resolve("missing"), "--output=" + tmp.resolve("out")},
      {"classroom", "backfill", "--input=" + in, "--output=" + in},
      {"classroom", "backfill", "--input=" + in, "--output=" + tmp.resolve("out"), "--timeZone=Mars/Base"},
      {"classroom", "backfill", "--input=" + in, "--output=" + tmp.resolve("out"), "--signalRules=" + tmp.resolve("none.txt")},
      {"classroom", "backfill", "--input=" + in, "--output=" + tmp.resolve("out"), "--courseIdle=0"},
      {"classroom", "backfill", "--input=" + in, "--output=" + tmp.resolve("out"), "--nosuch=1"},
    };
    for (String[] args : cases) {
      assertEquals(2, run(args), String.join(" ", args) + ": " + err());
      assertEquals(1, err().lines().count(), String.join(" ", args) + ": " + err());
      assertTrue(err().startsWith("stallwatch classroom"), err());
      assertFalse(err().contains("Exception") || err().contains("at org."), err());
    }
    Files.writeString(in.resolve("notes.txt"), "hello\n");
    assertEquals(2, run("classroom", "backfill", "--input=" + in, "--output=" + tmp.resolve("out")));
    assertTrue(err().contains("notes.txt is no dump of an input topic"), err());
  }

  @Test
  void aBackfillWritesOneFilePerSinkAndReplacesAnEarlierRun() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(
        in.resolve("timeline_client_topic.jsonl"),
        "{\"createTime\": 1, \"data\": {\"userid\": \"u1\", \"roomId\": \"r1\", \"timestamp\": 1710900000123,"
            + " \"role\": 2, \"msgid\": 305, \"msg\": {\"msgtype\": 116, \"msg_data\": {\"target_type\": \"shape\","
            + " \"action\": \"move\"}}}}\n"
            + "\n"
            + "not json\n");
    Path output = tmp.resolve("out");
    for (int i = 0; i < 2; i++) {
      assertEquals(0, run("classroom", "backfill", "--input=" + in, "--output=" + output), err());
    }
    assertTrue(err().contains("replaced " + ClassroomBackfillJob.OUTPUTS.size() + " output file(s)"), err());
    assertEquals(
        List.of("{\"start_time\":\"2024-03-20 10:00:00\",\"end_time\":\"2024-03-20 10:01:00\",\"webserver_id\":\"r1\","
            + "\"user_id\":\"u1\",\"role\":\"2\",\"event\":\"SHAPE_MOVE\",\"event_count\":1,"
            + "\"create_time\":\"2024-03-20 10:00:00\"}"),
        Files.readAllLines(output.resolve("timeline_signal_analysis.jsonl")));
    List<String> dead = Files.readAllLines(output.resolve("dead-letter.jsonl"));
    assertEquals(1, dead.size(), dead.toString());
    assertTrue(dead.get(0).contains("timeline_client_topic.jsonl:3") && dead.get(0).contains("not JSON"), dead.get(0));
    assertEquals(1, Files.readAllLines(output.resolve("timeline_analysis_student.jsonl")).size());
    assertEquals(List.of(), Files.readAllLines(output.resolve("user_av_record.jsonl")));
    assertTrue(out().contains("C1 signals written               1"), out());
  }
}
