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
        List.of(BackfillOptions.class, RunOptions.class, GenerateOptions.class,
            dev.stallwatch.pipeline.options.ReportOptions.class)) {
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
    assertUsageError("--keyBuckets: must be between 1 and 65536, not 0", "backfill", "--input=" + dump, output, "--keyBuckets=0");
    assertUsageError("--input: required", "backfill", output);
    assertUsageError("--engine: must be sorted or windows, not 'fast'", "backfill", "--input=" + dump, output, "--engine=fast");
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
  void reportsMistakesAreOneLineEach() throws IOException {
    Path dump = tmp.resolve("d.csv");
    Files.writeString(dump, "mobile_tel,request_status,last_update_datetime\n1,0,2024-03-20 10:00:00\n");
    String input = "--input=" + dump;
    String output = "--output=" + tmp.resolve("report");
    assertUsageError("--output: required", "report", input);
    assertUsageError("--compare: cannot read " + tmp.resolve("missing.json"), "report", input, output,
        "--compare=" + tmp.resolve("missing.json"));
    Path badConfig = tmp.resolve("bad.json");
    Files.writeString(badConfig, "{\"rules\": [{\"name\": \"video\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 0}]}");
    assertUsageError("--compare: " + badConfig + ": rules[0].gapMinutes", "report", input, output, "--compare=" + badConfig);
    Path otherZone = tmp.resolve("zone.json");
    Files.writeString(otherZone, "{\"timeZone\": \"Europe/Paris\"}");
    assertUsageError("--compare: its time zone Europe/Paris is not the current config's Asia/Shanghai", "report", input,
        output, "--compare=" + otherZone);
    assertUsageError("--engine: unknown option", "report", input, output, "--engine=sorted");
    out.reset();
    assertEquals(0, run("report", "--help"));
    for (String option : List.of("--input=FILE", "--output=DIR", "--compare=CONFIG", "--quiet", "--config=FILE", "--blacklist=CSV")) {
      assertTrue(out().contains(option), option + " in\n" + out());
    }
  }

  @Test
  void backfillWritesTheConformanceAlertsAndDeadLettersAndSummarises() throws IOException {
    Path c = Conformance.cases().stream().filter(p -> p.endsWith("scenarios")).findFirst().orElseThrow();
    Path output = tmp.resolve("out");
    Files.createDirectories(output);
    Files.writeString(output.resolve("alerts-00000-of-00003.jsonl"), "{\"left\":\"by an earlier run\"}\n");
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
  /** A stand-in for the launcher's embedded default: it runs nothing, so run's checks can be seen alone. */
  private int runWithEmbeddedStandIn(String... args) {
    EmbeddedDefault standIn =
        new EmbeddedDefault() {
          @Override
          public Class<? extends org.apache.beam.sdk.options.PipelineOptions> options() {
            return RunOptions.class;
          }

          @Override
          public List<LaunchDefault> defaults() {
            return List.of();
          }

          @Override
          public int run(RunOptions options, dev.stallwatch.pipeline.config.JobConfig config, PrintStream o, PrintStream e) {
            return 0;
          }
        };
    return new StallWatch(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .withEmbeddedDefault(standIn)
        .run(args);
  }

  private Path config(String json) throws IOException {
    Path file = Files.createTempFile(tmp, "c", ".json");
    Files.writeString(file, json);
    return file;
  }

  private static final String SHARED_EVENT_ID =
      "{\"routes\": [{\"name\": \"cc\", \"eventId\": \"019-1\", \"topic\": \"a\"},"
          + " {\"name\": \"cc2\", \"eventId\": \"019-1\", \"topic\": \"b\"}]}";

  /**
   * A config that can give two alerts per (EVENT_ID, MOBILE, EVENT_DATE) would lose audit rows: run
   * refuses it when it writes the audit table, before it reads the database; backfill, which writes
   * none, takes it.
   */
  @Test
  void runWithTheAuditTableRefusesConfigsThatLoseAuditRows() throws IOException {
    String[] jdbc = {"--bootstrapServers=127.0.0.1:1", "--jdbcUrl=jdbc:h2:mem:no_tables;MODE=Oracle", "--jdbcUser=sa"};
    Path shared = config(SHARED_EVENT_ID);
    assertEquals(2, run("run", jdbc[0], jdbc[1], jdbc[2], "--config=" + shared), err());
    assertEquals(
        "stallwatch run: --config: routes cc and cc2 share eventId 019-1, but the audit table E_EVENT_FLOW_STREAM"
            + " keeps one row per (EVENT_ID, MOBILE, EVENT_DATE)",
        err().trim());
    err.reset();
    Path sixHours = config("{\"oncePer\": \"PT6H\", \"io\": {\"auditTable\": \"AUDIT\"}}");
    assertEquals(2, run("run", jdbc[0], jdbc[1], jdbc[2], "--config=" + sixHours), err());
    assertTrue(err().startsWith("stallwatch run: --config: oncePer: a fixed period (PT6H) can give a route two alerts"), err());
    assertTrue(err().contains("the audit table AUDIT keeps one row per (EVENT_ID, MOBILE, EVENT_DATE)"), err());
    assertEquals(1, err().lines().count(), err());

    Path dump = tmp.resolve("d.csv");
    Files.writeString(dump, "mobile_tel,request_status,last_update_datetime\n1,0,2024-03-20 10:00:00\n");
    for (Path c : List.of(shared, sixHours)) {
      assertEquals(0, run("backfill", "--input=" + dump, "--output=" + tmp.resolve("o"), "--config=" + c), err());
    }
  }

  /** Each route's topic is its own, and neither the input nor the dead-letter topic (after the command line). */
  @Test
  void runRefusesTopicsThatClash() throws IOException {
    err.reset();
    assertEquals(2, runWithEmbeddedStandIn("run", "--deadLetterTopic=stream_mot_stream_account_break_ths_cc"));
    assertEquals(
        "stallwatch run: --deadLetterTopic: stream_mot_stream_account_break_ths_cc is also the topic of route cc",
        err().trim());
    err.reset();
    Path onInput = config("{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"rt_crhkh_crh_wskh_userqueryextinfo\"}]}");
    assertEquals(2, runWithEmbeddedStandIn("run", "--config=" + onInput));
    assertEquals(
        "stallwatch run: --config: route a's topic rt_crhkh_crh_wskh_userqueryextinfo is also the input topic"
            + " (io.inputTopic)",
        err().trim());
    Path shared = config("{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"t\"}, {\"name\": \"b\", \"eventId\": \"2\", \"topic\": \"t\"}]}");
    assertUsageError("routes a and b share topic t; each route needs a topic of its own", "backfill", "--config=" + shared, "--input=x.csv", "--output=o");
    err.reset();
    assertEquals(0, runWithEmbeddedStandIn("run", "--inputTopic=in", "--deadLetterTopic=dl"), err());
  }

  /**
   * Each numeric option at its bounds: accepted there (the command goes on to its next complaint, or
   * runs), refused one step past them with one line naming the option.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "backfill|keyBuckets|1|65536|0|65537",
        "run|keyBuckets|1|65536|-1|99999999999",
        "run|maxOutOfOrderness|0|604800|-1|604801",
        "run|idleAfter|1|604800|0|604801",
        "run|maxFutureSkew|0|604800|-1|604801",
        "run|sideInputRefresh|1|86400|0|86401",
        "run|simulatedSpeed|0.001|10000000|0|10000000.5",
        "run|simulatedSpeed|0.001|10000000|-Infinity|Infinity",
        "run|simulatedAnchor|0|9223372036854775807|-1|9223372036854775808",
        "generate|applicants|1|10000000|0|10000001",
        "generate|days|1|366|0|367",
        "generate|badRowRate|0|1|-0.01|1.01",
        "generate|speed|0.001|10000000|0|10000001",
        "generate|maxDelay|0|3600|-1|3601"
      })
  void numericOptionsAreAcceptedAtTheirBoundsAndRefusedPastThem(
      String command, String option, String min, String max, String below, String above) {
    for (String accepted : List.of(min, max)) {
      err.reset();
      int code = runWithEmbeddedStandIn(command, "--" + option + "=" + accepted);
      assertTrue(!err().contains("--" + option + ":"), accepted + ": " + err());
      assertTrue(code == 0 || !command.equals("run"), accepted + ": " + err());
    }
    for (String refused : List.of(below, above)) {
      err.reset();
      assertEquals(2, runWithEmbeddedStandIn(command, "--" + option + "=" + refused), err());
      assertEquals(1, err().trim().lines().count(), err());
      assertTrue(err().startsWith("stallwatch " + command + ": --" + option + ": must be between "), err());
      assertTrue(err().trim().endsWith(", not " + refused), err());
      assertTrue(err().contains(" " + min + " ") && err().contains(" " + max), err());
    }
  }

  @Test
  void notANumberAndAnIntOverflowAreOneLineEach() {
    assertUsageError("stallwatch run: --simulatedSpeed: must be between 0.001 and 10000000, not NaN", "run", "--simulatedSpeed=NaN");
    assertUsageError("stallwatch generate: --badRowRate: must be between 0 and 1, not NaN", "generate", "--badRowRate=NaN");
    assertUsageError("stallwatch backfill: --keyBuckets: must be between 1 and 65536, not 99999999999", "backfill", "--keyBuckets=99999999999");
    assertUsageError("stallwatch run: --sideInputRefresh: must be between 1 and 86400 seconds, not 99999999999", "run", "--sideInputRefresh=99999999999");
    assertUsageError("--keyBuckets: expected a whole number, not '1.5'", "backfill", "--keyBuckets=1.5");
  }

  @Test
  void backfillNeverRemovesItsInput() throws IOException {
    Path c = Conformance.cases().stream().filter(p -> p.endsWith("scenarios")).findFirst().orElseThrow();
    Path output = Files.createDirectories(tmp.resolve("shared"));
    Path input = output.resolve("alerts-00000-of-00001.jsonl");
    Files.copy(Conformance.dump(c), input);
    byte[] before = Files.readAllBytes(input);
    assertUsageError("--input: " + input + " is named as this run's output", "backfill", "--input=" + input, "--output=" + output);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(input)), "the input is untouched");
    Path mine = output.resolve("dump.jsonl");
    Files.move(input, mine);
    assertUsageError("would also read this run's own output", "backfill", "--input=" + output + "/*.jsonl", "--output=" + output);
    // beside the output under a name of its own, a dump is read and kept
    assertEquals(0, run("backfill", "--input=" + mine, "--output=" + output), err());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(mine)), "the input is untouched");
  }
}
