package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The bundled jar's defaults are decided in one place and shown by --help from it: run on Flink
 * with checkpoints, backfill on the direct runner, the embedded default's bounds on its clock.
 */
class LauncherTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Launcher.commandLine(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).trim();
  }

  @Test
  void helpShowsTheDefaultsThatRun() {
    assertEquals(0, run("run", "--help"));
    String help = out();
    for (String expected :
        new String[] {
          "--runner=RUNNER", "(default: FlinkRunner)", "--checkpointingInterval=MILLIS", "(default: 10000 on Flink)",
          "--parallelism=N", "--flinkMaster=HOST:PORT", "--replayApplicants=N", "--verbose=true|false",
          "(default: 30; embedded default: 2 wall seconds of its clock (3000 at 1500x))",
          "(default: 10; embedded default: 1 wall second of its clock (1500 at 1500x))",
          "(default: true; embedded default: false"
        }) {
      assertTrue(help.contains(expected), expected + " in\n" + help);
    }
    assertEquals(0, run("backfill", "--help"));
    assertTrue(out().contains("(default: DirectRunner)"), out());
    assertTrue(!out().contains("--checkpointingInterval"), out());
  }

  @Test
  void exactlyOnceOnFlinkNeedsCheckpointing() {
    assertEquals(2, run("run", "--bootstrapServers=127.0.0.1:1", "--checkpointingInterval=-1"));
    assertTrue(err().startsWith("stallwatch run: --exactlyOnce needs checkpointing on Flink"), err());
    assertEquals(1, err().lines().count(), err());
  }

  @Test
  void embeddedOptionsNeedTheEmbeddedDefault() {
    assertEquals(2, run("run", "--bootstrapServers=127.0.0.1:1", "--replayApplicants=10"));
    assertEquals(
        "stallwatch run: --replayApplicants: only for the embedded default, which runs without --bootstrapServers", err());
    assertEquals(2, run("run", "--jdbcUrl=jdbc:h2:mem:x"));
    assertTrue(err().startsWith("stallwatch run: --jdbcUrl: needs --bootstrapServers"), err());
  }

  @Test
  void mistakesNameTheOption() {
    assertEquals(2, run("run", "--runner=SparkRunner"));
    assertEquals("stallwatch run: --runner: unknown runner 'SparkRunner' (known: DirectRunner, FlinkRunner)", err());
    assertEquals(2, run("run", "--idleAfter=1", "--idleAfter=2"));
    assertEquals("stallwatch run: --idleAfter: given twice", err());
    assertEquals(2, run("run", "--maxOutOfOrdernes=3"));
    assertEquals("stallwatch run: --maxOutOfOrdernes: unknown option (did you mean --maxOutOfOrderness?)", err());
  }
}
