package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.PeriodScope;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Journeys;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test: on many generated journeys (pauses at each gap ±1 s, disorder, duplicates with
 * and without other differing fields, terminal rows, midnight, shared mobiles, bad rows), both
 * engines — the session-window graph ({@link StallAlerts}) and the batch one ({@link
 * SortedStallAlerts}) — give exactly the reference model's alerts and dead letters, under several
 * configurations, with many or few grouping buckets.
 */
@ExtendWith(TestPipelineExtension.class)
class StallAlertsModelTest {

  static Stream<Arguments> cases() {
    StallConfig defaults = StallConfig.defaults();
    List<Rule> fifteen =
        List.of(
            Rule.of("id", Set.of("ID_UPLOAD"), Duration.standardMinutes(8), "上传身份证"),
            Rule.of(
                "rest",
                Set.of(
                    "PROFILE_EDIT",
                    "SELECT_MARKET",
                    "SET_PASSWORD",
                    "THIRD_PARTY_CUSTODY",
                    "RISK_ASSESSMENT",
                    "QUESTIONNAIRE",
                    "VIDEO"),
                Duration.standardMinutes(15),
                "其他步骤"));
    List<Rule> three =
        List.of(
            Rule.of("video", Set.of("VIDEO"), Duration.standardMinutes(18), "视频见证"),
            Rule.of("id", Set.of("ID_UPLOAD"), Duration.standardMinutes(15), "上传身份证"),
            Rule.of(
                "rest",
                Set.of("PROFILE_EDIT", "SELECT_MARKET", "SET_PASSWORD", "RISK_ASSESSMENT"),
                Duration.standardMinutes(30),
                "其他步骤"),
            Rule.of("same30", Set.of("QUESTIONNAIRE"), Duration.standardMinutes(30), "问卷回访"));
    return Stream.of(
        Arguments.of("defaults", 11L, defaults, List.of(8L, 30L)),
        Arguments.of(
            "send window DEFER",
            21L,
            defaults.toBuilder()
                .sendWindow(SendWindow.of(LocalTime.of(9, 15), LocalTime.of(16, 15), SendWindow.Policy.DEFER))
                .build(),
            List.of(8L, 30L)),
        Arguments.of(
            "send window DROP",
            22L,
            defaults.toBuilder()
                .sendWindow(SendWindow.of(LocalTime.of(9, 15), LocalTime.of(16, 15), SendWindow.Policy.DROP))
                .build(),
            List.of(8L, 30L)),
        Arguments.of("lifetime", 31L, defaults.toBuilder().oncePer(PeriodScope.lifetime()).build(), List.of(8L, 30L)),
        Arguments.of(
            "fixed 6h periods in UTC",
            32L,
            defaults.toBuilder().oncePer(PeriodScope.fixed(Duration.standardHours(6))).zoneId("UTC").build(),
            List.of(8L, 30L)),
        Arguments.of("8/15 rules", 41L, defaults.toBuilder().rules(fifteen).build(), List.of(8L, 15L)),
        Arguments.of(
            "18/15/30 rules, one route",
            42L,
            defaults.toBuilder()
                .rules(three)
                .routes(List.of(Route.of("sms", "X-1", "断点{gap}分钟（{label}）", true, "t")))
                .build(),
            List.of(15L, 18L, 30L)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("cases")
  void pipelineAgreesWithTheModel(
      String name, long seed, StallConfig config, List<Long> gaps, TestPipeline pipeline) {
    JourneyGenerator generator =
        JourneyGenerator.builder()
            .seed(seed)
            .applicants(300)
            .days(3)
            .zone(config.zone())
            .gapsMinutes(gaps)
            .badRowRate(0.02)
            .build();
    List<RawRow> rows = Journeys.rows(generator, seed);
    Blacklist blacklist = someBlacklist(generator);
    ChannelNames channels = ChannelNames.of(Map.of("14781", "同花顺", "10001", "抖音"));
    ReferenceModel.Result expected =
        ReferenceModel.of(config).withBlacklist(blacklist).withChannels(channels).run(rows);
    assertTrue(expected.alerts.size() > 50, "a test that exercises little: " + expected.alerts.size());
    assertTrue(expected.duplicates > 0 && !expected.deadLetters.isEmpty());

    PCollectionTuple parsed =
        pipeline.apply("Rows", Create.of(rows)).apply("Parse", ParseRows.inZone(config.zone()));
    PCollection<Alert> alerts =
        parsed
            .get(ParseRows.events())
            .apply(
                "StallAlerts",
                StallAlerts.of(config)
                    // few buckets put many applicants in one key: their sessions must stay apart
                    .withKeyBuckets(seed % 2 == 0 ? 3 : 4096)
                    .withBlacklist(
                        pipeline.apply("Blacklist", Create.of(blacklist)).apply("BlacklistView", View.asSingleton()))
                    .withChannels(
                        pipeline.apply("Channels", Create.of(channels)).apply("ChannelsView", View.asSingleton())));

    // the batch engine on the same events
    PCollection<Alert> sorted =
        parsed
            .get(ParseRows.events())
            .apply(
                "SortedStallAlerts",
                SortedStallAlerts.of(config)
                    .withKeyBuckets(seed % 2 == 0 ? 3 : 4096)
                    .withBlacklist(blacklist)
                    .withChannels(channels));

    List<String> want = AlertJson.canonicalAlerts(expected.alerts);
    for (PCollection<Alert> engine : List.of(alerts, sorted)) {
      PAssert.that(engine)
          .satisfies(
              got -> {
                List<Alert> list = new ArrayList<>();
                got.forEach(list::add);
                assertEquals(want, AlertJson.canonicalAlerts(list));
                return null;
              });
    }
    List<BadRecord> wantBad = expected.deadLetters;
    PAssert.that(parsed.get(ParseRows.deadLetters())).containsInAnyOrder(wantBad);
    pipeline.run().waitUntilFinish();
  }

  /** Blacklists some applicants by id_no and some by mobile. */
  private static Blacklist someBlacklist(JourneyGenerator generator) {
    List<String> ids = new ArrayList<>();
    List<String> mobiles = new ArrayList<>();
    int i = 0;
    for (Map<String, String> row : generator.rows()) {
      if (i++ % 37 == 0) {
        ids.add(row.get("id_no"));
      } else if (i % 41 == 0) {
        mobiles.add(row.get("mobile_tel"));
      }
    }
    return Blacklist.of(ids, mobiles);
  }

}
