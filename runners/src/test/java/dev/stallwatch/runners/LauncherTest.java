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
    // Spark runs from the Spark jar, which applies the master; this jar shows it.
    assertTrue(out().contains("--sparkMaster=MASTER"), out());
    assertTrue(out().contains("(default: local[N] on Spark, N = the cores)"), out());
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
  @Test
  void theEmbeddedDefaultsNumbersAreCheckedAtTheirBounds() {
    for (String[] o : new String[][] {{"replayApplicants", "1", "1000000", "0", "1000001"}, {"replayDays", "1", "31", "0", "32"}}) {
      for (String accepted : new String[] {o[1], o[2]}) {
        assertEquals(2, run("run", "--bootstrapServers=127.0.0.1:1", "--" + o[0] + "=" + accepted));
        assertEquals("stallwatch run: --" + o[0] + ": only for the embedded default, which runs without --bootstrapServers", err());
      }
      for (String refused : new String[] {o[3], o[4]}) {
        assertEquals(2, run("run", "--bootstrapServers=127.0.0.1:1", "--" + o[0] + "=" + refused));
        assertEquals("stallwatch run: --" + o[0] + ": must be between " + o[1] + " and " + o[2] + ", not " + refused, err());
      }
    }
  }

  /** The embedded default writes an audit table too: it refuses, before it starts anything, what run with --jdbcUrl refuses. */
  @Test
  void theEmbeddedDefaultRefusesConfigsThatLoseAuditRows() throws java.io.IOException {
    java.nio.file.Path config = java.nio.file.Files.createTempFile("stallwatch-launcher", ".json");
    try {
      java.nio.file.Files.writeString(config, "{\"oncePer\": \"P1D\"}");
      // --channels names no file: a run that went past the check would stop there, saying so
      assertEquals(2, run("run", "--config=" + config, "--channels=" + config.resolveSibling("no-such-channels.csv")));
      assertTrue(err().startsWith("stallwatch run: --config: oncePer: a fixed period (PT24H) can give a route two alerts"), err());
      assertEquals(1, err().lines().count(), err());
    } finally {
      java.nio.file.Files.deleteIfExists(config);
    }
  }
}
