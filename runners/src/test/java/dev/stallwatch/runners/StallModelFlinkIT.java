package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Journeys;
import dev.stallwatch.transforms.ParseRows;
import dev.stallwatch.transforms.SortedStallAlerts;
import dev.stallwatch.transforms.StallAlerts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stall property test on the real Flink runner (embedded mini-cluster, parallelism 2, batch):
 * generated journeys (pauses at each gap ±1 s, duplicates with differing fields, terminal rows,
 * midnight, shared mobiles, bad rows) through both engines in one job — the session-window graph
 * ({@link StallAlerts}) and the batch one ({@link SortedStallAlerts}) — each equal to the reference
 * model's alerts, and the dead letters to its, under the default rules and under three rules with
 * a send window.
 */
class StallModelFlinkIT {
  @TempDir Path tmp;

  static Stream<Arguments> runs() {
    StallConfig three =
        StallConfig.defaults().toBuilder()
            .rules(
                List.of(
                    Rule.of("video", Set.of("VIDEO"), Duration.standardMinutes(18), "视频见证"),
                    Rule.of("id", Set.of("ID_UPLOAD"), Duration.standardMinutes(15), "上传身份证"),
                    Rule.of("rest", Set.of("PROFILE_EDIT", "SET_PASSWORD", "RISK_ASSESSMENT"), Duration.standardMinutes(30), "其他步骤")))
            .sendWindow(SendWindow.of(LocalTime.of(9, 15), LocalTime.of(16, 15), SendWindow.Policy.DEFER))
            .build();
    return Stream.of(
        Arguments.of("defaults", 61L, StallConfig.defaults(), List.of(8L, 30L)),
        Arguments.of("18/15/30 rules, send window", 62L, three, List.of(15L, 18L, 30L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void bothEnginesOnFlinkGiveTheModelsAlerts(String name, long seed, StallConfig config, List<Long> gaps) throws IOException {
    JourneyGenerator generator =
        JourneyGenerator.builder().seed(seed).applicants(1500).days(3).zone(config.zone()).gapsMinutes(gaps).badRowRate(0.02).build();
    List<RawRow> rows = Journeys.rows(generator, seed);
    Blacklist blacklist = Blacklist.of(List.of(), every(generator, 29));
    ChannelNames channels = ChannelNames.of(Map.of("14781", "同花顺", "10001", "抖音"));
    ReferenceModel.Result expected = ReferenceModel.of(config).withBlacklist(blacklist).withChannels(channels).run(rows);
    assertTrue(expected.alerts.size() > 300 && expected.duplicates > 50 && expected.deadLetters.size() > 50, name);
    assertTrue(expected.suppressedBlacklist.values().stream().mapToLong(Long::longValue).sum() > 0, "blacklisted stalls");

    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--parallelism=2").as(FlinkPipelineOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple parsed =
        pipeline.apply("Rows", Create.of(rows).withCoder(RawRow.RawRowCoder.of())).apply("Parse", ParseRows.inZone(config.zone()));
    PCollection<Alert> windows =
        parsed
            .get(ParseRows.events())
            .apply(
                "StallAlerts",
                StallAlerts.of(config)
                    .withKeyBuckets(64)
                    .withBlacklist(pipeline.apply("Blacklist", Create.of(blacklist)).apply("BlacklistView", View.asSingleton()))
                    .withChannels(pipeline.apply("Channels", Create.of(channels)).apply("ChannelsView", View.asSingleton())));
    PCollection<Alert> sorted =
        parsed
            .get(ParseRows.events())
            .apply(
                "SortedStallAlerts",
                SortedStallAlerts.of(config).withKeyBuckets(64).withBlacklist(blacklist).withChannels(channels));
    String dir = tmp.resolve("out").toString() + "/";
    windows.apply("WindowsJson", MapElements.into(TypeDescriptors.strings()).via(Alert::toJson)).apply("WriteWindows", write(dir, "windows"));
    sorted.apply("SortedJson", MapElements.into(TypeDescriptors.strings()).via(Alert::toJson)).apply("WriteSorted", write(dir, "sorted"));
    parsed
        .get(ParseRows.deadLetters())
        .apply("DeadJson", MapElements.into(TypeDescriptors.strings()).via(BadRecord::toJson))
        .apply("WriteDead", write(dir, "dead"));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

    List<String> want = AlertJson.canonicalAlerts(expected.alerts);
    assertEquals(want, AlertJson.canonical(lines(dir, "windows")), name + ": the session-window graph");
    assertEquals(want, AlertJson.canonical(lines(dir, "sorted")), name + ": the batch engine");
    List<String> dead = new ArrayList<>();
    expected.deadLetters.forEach(b -> dead.add(b.toJson()));
    dead.sort(null);
    List<String> gotDead = new ArrayList<>(lines(dir, "dead"));
    gotDead.sort(null);
    assertEquals(dead, gotDead, name + ": dead letters");
  }

  private static List<String> every(JourneyGenerator generator, int n) {
    List<String> mobiles = new ArrayList<>();
    int i = 0;
    for (Map<String, String> row : generator.rows()) {
      if (i++ % n == 0) {
        mobiles.add(row.get("mobile_tel"));
      }
    }
    return mobiles;
  }

  private static TextIO.Write write(String dir, String name) {
    return TextIO.write().to(dir + name).withSuffix(".jsonl").withoutSharding();
  }

  private static List<String> lines(String dir, String name) throws IOException {
    Path p = Path.of(dir, name + ".jsonl");
    return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList() : List.of();
  }
}
