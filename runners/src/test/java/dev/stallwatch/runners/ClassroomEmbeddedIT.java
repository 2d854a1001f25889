package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code stallwatch classroom run} without {@code --bootstrapServers}: the in-process broker, H2,
 * a generated school day and the four jobs on the embedded Flink, every output held to the models.
 */
class ClassroomEmbeddedIT {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Launcher.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  @Test
  void theEmbeddedDefaultEqualsTheModels() {
    // Five times the default clock (400x), with a longer idle rule to keep a margin over the day's
    // longest silence (4.8 hours on qos_log) in wall seconds: 10 simulated hours at 2000x leave 9 s
    // of a slow moment before a quiet partition's watermark may follow the clock (6 hours at 1000x
    // leave 4 s). The replay spans about two days (late order and account updates); the clock runs
    // ten times faster once the classroom topics' last message has been read, so the school day sets
    // this test's time.
    int code = run("classroom", "run", "--simulatedSpeed=2000", "--idleAfter=36000", "--parallelism=2");
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
    assertTrue(printed.contains("every topic and table equals the models"), printed);
    for (String output :
        List.of("timeline_analysis_student", "classroom_dead_letter", "timeline_signal_analysis",
            "user_enter_classroom_take_time", "user_av_record")) {
      assertTrue(printed.lines().anyMatch(l -> l.startsWith("  " + output + " <- ")), output + " rows as they land: " + printed);
      assertTrue(printed.lines().anyMatch(l -> l.startsWith("  " + output) && l.endsWith("equal")), output + ": " + printed);
    }
    // C2, C6, C7: the final tables equal the models', and counts were printed as they changed, going down too
    for (String table : List.of("channel_name_dictionary", "vk_app_es_sign_csh", "staff_index")) {
      assertTrue(printed.lines().anyMatch(l -> l.startsWith("  " + table + " (C") && l.endsWith("equal")), table + ": " + printed);
    }
    assertTrue(printed.lines().anyMatch(l -> l.matches("  (vk_app_es_sign_csh|staff_index) \\S+: [0-9]+ -> [0-9]+")), printed);
    assertTrue(printed.contains("registrations per hour and level"), printed);
    System.out.println(printed.substring(printed.indexOf("StallWatch classroom run: the job's outputs")));
    assertTrue(!err.toString(StandardCharsets.UTF_8).contains("WARNING"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void itsMistakesAreOneLine() {
    assertEquals(2, run("classroom", "run", "--jdbcUrl=jdbc:h2:mem:x"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("stallwatch classroom run: --jdbcUrl: needs --bootstrapServers"), e);
    assertEquals(2, run("classroom", "run", "--replayStudents=0"));
    assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, run("classroom", "run", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String option : List.of("--replayStudents=", "--replaySeed=", "--verbose", "--simulatedSpeed=", "--idleAfter=", "--jdbcUrl=")) {
      assertTrue(help.contains(option), option + " in " + help);
    }
    assertTrue(help.contains("21600"), help);
  }
}
