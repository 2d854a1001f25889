package dev.stallwatch.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.stallwatch.pipeline.options.BackfillOptions;
import dev.stallwatch.pipeline.options.GenerateOptions;
import dev.stallwatch.pipeline.options.RunOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: help, exit codes, one-line errors, and a real backfill. */
class StallWatchCliTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
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
  void helpListsCommandsAndEveryOptionWithItsDefault() {
    assertEquals(0, run("--help"));
    assertTrue(out().contains("backfill") && out().contains("generate"), out());
    out.reset();
    assertEquals(0, run("backfill", "--help"));
    for (String option :
        List.of("--input=FILE", "--output=DIR", "--blacklist=CSV", "--channels=CSV", "--config=FILE",
            "--timeZone=ZONE", "--runner=RUNNER", "--jsonSummary")) {
      assertTrue(out().contains(option), option + " in\n" + out());
    }
    assertTrue(out().contains("default: Asia/Shanghai") && out().contains("default: DirectRunner"), out());
  }

  /** Beam keeps one registry of options per JVM: the commands' options must not contradict. */
  @Test
  void everyCommandsOptionsLiveTogetherInOneJvm() {
    for (Class<? extends org.apache.beam.sdk.options.PipelineOptions> type :
        List.of(BackfillOptions.class, RunOptions.class, GenerateOptions.class)) {
      org.apache.beam.sdk.options.PipelineOptionsFactory.register(type);
    }
    RunOptions run = org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs().as(RunOptions.class);
    assertEquals(600, run.getSideInputRefresh());
    assertEquals(0.5, run.getDimensionMaxShrink());
    assertEquals(30, run.getMaxOutOfOrderness());
    assertEquals(10, run.getIdleAfter());
    GenerateOptions generate =
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs().as(GenerateOptions.class);
    assertEquals(1000, generate.getApplicants());
    assertEquals(0, run("run", "--help"));
    for (String option : List.of("--bootstrapServers=HOSTS", "--jdbcUrl=URL", "--jdbcPasswordFile=FILE",
        "--kafkaProperties=FILE", "--sideInputRefresh=SECONDS", "--jdbcPropertiesFile=FILE",
        "--dimensionMaxShrink=FRACTION", "--maxOutOfOrderness=SECONDS",
        "--exactlyOnce=true|false", "--sinkGroupId=PREFIX", "--runner=RUNNER")) {
      assertTrue(out().contains(option), option + " in\n" + out());
    }
    assertTrue(out().contains("rt_crhkh_crh_wskh_userqueryextinfo, or the config file's io.inputTopic"), out());
    assertTrue(run.getExactlyOnce(), "run writes its topics exactly once unless told otherwise");
    assertEquals("stallwatch-sink", run.getSinkGroupId());
  }

  /** Without an embedded default handed in, run needs real systems, and says so. */
  @Test
  void runWithoutAnEmbeddedDefaultNeedsBootstrapServers() {
    assertEquals(2, run("run"));
    assertEquals("stallwatch run: --bootstrapServers: required (this build has no embedded default)", err().trim());
  }

  @Test
  void runRefusesAPasswordInTheJdbcUrl() {
    assertEquals(
        2,
        run("run", "--bootstrapServers=127.0.0.1:1", "--jdbcUrl=jdbc:postgresql://h/db?password=secret"));
    assertTrue(err().startsWith("stallwatch run: ") && !err().contains("secret"), err());
  }

  @Test
  void runRefusesASecretInTheJdbcUrlOrPropertiesAndAnUnreadablePropertiesFileInOneLine() {
    assertEquals(
        2,
        run("run", "--bootstrapServers=127.0.0.1:1", "--jdbcUrl=jdbc:postgresql://h/db?sslpassword=s3cret"));
    assertEquals(
        "stallwatch run: --jdbcUrl: parameter sslpassword holds a secret; put it in --jdbcPropertiesFile",
        err().trim());
    err.reset();
    assertEquals(
        2,
        run("run", "--bootstrapServers=127.0.0.1:1", "--jdbcUrl=jdbc:postgresql://h/db",
            "--jdbcProperties=ssl=true;oracle.net.wallet_password=s3cret"));
    assertEquals(
        "stallwatch run: --jdbcProperties: oracle.net.wallet_password holds a secret; put it in"
            + " --jdbcPropertiesFile",
        err().trim());
    err.reset();
    Path absent = tmp.resolve("absent.properties");
    assertEquals(
        2,
        run("run", "--bootstrapServers=127.0.0.1:1", "--jdbcUrl=jdbc:postgresql://h/db",
            "--jdbcPropertiesFile=" + absent));
    assertEquals("stallwatch run: --jdbcPropertiesFile: cannot read " + absent, err().trim());
  }

  @Test
  void runRefusesADimensionMaxShrinkOutsideZeroToOne() {
    assertEquals(2, run("run", "--bootstrapServers=127.0.0.1:1", "--dimensionMaxShrink=1.5"));
    assertTrue(err().startsWith("stallwatch run: --dimensionMaxShrink: "), err());
    assertEquals(1, err().lines().count(), err());
  }

  /** A first load of the dimension tables that fails stops the job before it is submitted. */
  @Test
  void runStopsAtStartWhenTheDimensionTablesCannotBeRead() {
    assertEquals(
        1,
        run(
            "run",
            "--bootstrapServers=127.0.0.1:1",
            "--jdbcUrl=jdbc:h2:mem:no_tables;MODE=Oracle",
            "--jdbcUser=sa",
            "--runner=DirectRunner"),
        err());
    assertTrue(err().startsWith("stallwatch run: ") && err().contains("STALLWATCH_BLACKLIST"), err());
    assertEquals(1, err().lines().count(), err());
  }

  @Test
  void noCommandPrintsUsageAndFails() {
    assertEquals(2, run());
    assertTrue(out().startsWith("usage: stallwatch"));
  }

  private void assertUsageError(String expectedPart, String... args) {
    err.reset();
    assertEquals(2, run(args), err());
    String message = err().trim();
    assertEquals(1, message.lines().count(), "one line: " + message);
    assertTrue(message.contains(expectedPart), message);
  }

  @Test
  void unusableArgumentsGiveOneClearLineAndExitTwo() throws IOException {
    Path dump = tmp.resolve("d.csv");
    Files.writeString(dump, "mobile_tel,request_status,last_update_datetime\n1,0,2024-03-20 10:00:00\n");
    String output = "--output=" + tmp.resolve("out");
    assertUsageError("unknown command 'nope'", "nope");
    assertUsageError("--input", "backfill", output);
    assertUsageError("no such file", "backfill", "--input=" + tmp.resolve("missing.csv"), output);
    assertUsageError("--runner: unknown runner 'NoSuchRunner' (known: DirectRunner)", "backfill", "--input=" + dump, output, "--runner=NoSuchRunner");
    assertUsageError("--inptu: unknown option (did you mean --input?)", "backfill", "--inptu=" + dump, output);
    assertUsageError("--bootstrapServers: unknown option", "backfill", "--input=" + dump, output, "--bootstrapServers=h:1");
    assertUsageError("--input: given twice", "backfill", "--input=" + dump, "--input=" + dump, output);
    assertUsageError("--jsonSummary: expected true or false, not 'maybe'", "backfill", "--input=" + dump, output, "--jsonSummary=maybe");
    assertUsageError("--keyBuckets: expected a whole number, not 'many'", "backfill", "--input=" + dump, output, "--keyBuckets=many");
    assertUsageError("--keyBuckets: must be at least 1, not 0", "backfill", "--input=" + dump, output, "--keyBuckets=0");
    assertUsageError("--input: required", "backfill", output);
    assertUsageError("--output: " + dump + " is a file; give a directory", "backfill", "--input=" + dump, "--output=" + dump);
    assertUsageError("--timeZone: unknown time zone 'Mars/Base'", "backfill", "--input=" + dump, output, "--timeZone=Mars/Base");

    Path badHeader = tmp.resolve("h.csv");
    Files.writeString(badHeader, "mobile_tel,last_update_datetime\n");
    assertUsageError("lacks required column(s) request_status", "backfill", "--input=" + badHeader, output);

    Path text = tmp.resolve("d.txt");
    Files.writeString(text, "x");
    assertUsageError("neither .csv nor .jsonl", "backfill", "--input=" + text, output);

    Path config = tmp.resolve("c.json");
    Files.writeString(config, "{\"rules\": [{\"name\": \"video\", \"classes\": [\"VIDEO\"], \"gapMinutes\": -3}]}");
    assertUsageError("rules[0].gapMinutes", "backfill", "--input=" + dump, output, "--config=" + config);

    Path blacklist = tmp.resolve("b.csv");
    Files.writeString(blacklist, "name,phone\n");
    assertUsageError("--blacklist", "backfill", "--input=" + dump, output, "--blacklist=" + blacklist);
  }

  @Test
  void backfillWritesTheConformanceAlertsAndDeadLettersAndSummarises() throws IOException {
    Path c = Conformance.cases().stream().filter(p -> p.endsWith("scenarios")).findFirst().orElseThrow();
    Path output = tmp.resolve("out");
    Files.createDirectories(output);
    Files.writeString(output.resolve("alerts-stale.jsonl"), "{\"left\":\"by an earlier run\"}\n");
    int code =
        run(
            "backfill",
            "--input=" + Conformance.dump(c),
            "--blacklist=" + c.resolve("blacklist.csv"),
            "--channels=" + c.resolve("channels.csv"),
            "--output=" + output,
            "--jsonSummary=true");
    assertEquals(0, code, err());
    assertEquals(AlertJson.canonical(Conformance.expectedAlerts(c)), AlertJson.canonical(Conformance.outputLines(output, "alerts")));
    List<String> dead = Conformance.outputLines(output, "dead-letter");
    assertEquals(Conformance.expectedBad(c), dead.size());
    for (String d : dead) {
      var fields = AlertJson.fields(d);
      assertTrue(fields.get("origin").matches(".*dump\\.csv:\\d+"), d);
      assertTrue(!fields.get("reason").isEmpty() && !fields.get("raw").isEmpty(), d);
      assertTrue(!fields.get("raw").contains(",x,"), "the bad rows' id_no 'x' is masked: " + d);
    }
    var summary = AlertJson.fields(out().trim());
    assertEquals("38", summary.get("rows_read"));
    assertEquals("4", summary.get("bad_rows"));
    assertEquals("1", summary.get("duplicates"));
    assertEquals(
        Long.toString(Conformance.expectedAlerts(c).stream().filter(l -> l.contains("\"route\": \"cc\"")).count()),
        summary.get("alerts.cc"));
    assertEquals("2", summary.get("suppressed.blacklist.cc"));
    assertEquals("0", summary.get("suppressed.blacklist.mot"));
  }

  @Test
  void generateIsDeterministicForASeedAndBackfillReadsItGzipped() throws IOException {
    Path a = tmp.resolve("a.jsonl.gz");
    Path b = tmp.resolve("b.jsonl.gz");
    assertEquals(0, run("generate", "--output=" + a, "--applicants=40", "--seed=5", "--badRowRate=0.05"));
    assertEquals(0, run("generate", "--output=" + b, "--applicants=40", "--seed=5", "--badRowRate=0.05"));
    assertEquals(-1, Files.mismatch(a, b));
    out.reset();
    assertEquals(0, run("backfill", "--input=" + a, "--output=" + tmp.resolve("o"), "--jsonSummary=true"), err());
    var summary = AlertJson.fields(out().trim());
    assertTrue(Long.parseLong(summary.get("bad_rows")) > 0, out());
    assertEquals(summary.get("bad_rows"), Integer.toString(Conformance.outputLines(tmp.resolve("o"), "dead-letter").size()));
    assertTrue(Long.parseLong(summary.get("alerts.mot")) > 0, out());
  }
}
