package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Journeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SPEC §1 (v1.1): of exact duplicates that differ in their other fields, the copy whose fields,
 * in SPEC's order, are smallest counts, so the alerts never depend on the order of rows — in the
 * model and in both engines.
 */
@ExtendWith(TestPipelineExtension.class)
class DuplicateCopiesTest {
  private static final StallConfig CONFIG = StallConfig.defaults();

  private static RawRow row(int line, String name, String branch) {
    return RawRow.json(
        "copies.jsonl:" + line,
        "{\"mobile_tel\":\"13800000001\",\"user_id\":\"u1\",\"request_no\":\"r1\",\"request_status\":\"0\","
            + "\"business_flag_last\":\"22123\",\"last_update_datetime\":\"2024-03-20 10:00:00\","
            + "\"client_name\":\"" + name + "\",\"branch_no\":\"" + branch + "\",\"channel_code\":\"14781\"}");
  }

  /**
   * 22123 is PROFILE_EDIT (step 2) with an empty branch and SELECT_MARKET (step 3) with one; a
   * smaller name wins before the branch is compared (张 U+5F20 before 李 U+674E).
   */
  @Test
  void theSmallestCopyCountsInTheModelWhicheverComesFirst() {
    List<RawRow> byBranch = List.of(row(1, "张三", "403"), row(2, "张三", ""));
    for (List<RawRow> rows : List.of(byBranch, reversed(byBranch))) {
      ReferenceModel.Result r = ReferenceModel.of(CONFIG).run(rows);
      assertEquals(1, r.duplicates);
      assertEquals(2, r.alerts.size(), "one stall, on both routes: " + r.alerts);
      for (Alert a : r.alerts) {
        Map<String, String> f = AlertJson.fields(a.toJson());
        assertEquals("", f.get("branch_no"), "the copy with the empty branch counts: " + f);
        assertEquals("2", f.get("step_code"), "so the stall is at PROFILE_EDIT: " + f);
        assertEquals("10:08:00", f.get("occur_time"));
      }
    }
    List<RawRow> byName = List.of(row(1, "李四", ""), row(2, "张三", "403"));
    for (List<RawRow> rows : List.of(byName, reversed(byName))) {
      for (Alert a : ReferenceModel.of(CONFIG).run(rows).alerts) {
        Map<String, String> f = AlertJson.fields(a.toJson());
        assertEquals("张三", f.get("client_name"), f.toString());
        assertEquals("403", f.get("branch_no"), f.toString());
        assertEquals("3", f.get("step_code"), "SELECT_MARKET: " + f);
      }
    }
  }

  @Test
  void theTransformsCountTheSameCopy(TestPipeline pipeline) {
    List<RawRow> rows = List.of(row(1, "张三", "403"), row(2, "张三", ""), row(3, "李四", "101"));
    List<String> want = AlertJson.canonicalAlerts(ReferenceModel.of(CONFIG).run(rows).alerts);
    assertTrue(want.stream().allMatch(a -> a.contains("step_code=2") && a.contains("branch_no=,")), want.toString());
    for (PCollection<Alert> engine : alerts(pipeline, rows)) {
      PAssert.that(engine).satisfies(got -> {
        assertEquals(want, canonical(got));
        return null;
      });
    }
    pipeline.run().waitUntilFinish();
  }

  /**
   * Generated journeys whose exact duplicates often differ in other fields, in several shuffled
   * orders: the model gives the same alerts for every order, and the transforms, given another
   * order, the same again.
   */
  @Test
  void shuffledCopiesGiveTheSameAlerts(TestPipeline pipeline) {
    JourneyGenerator generator = JourneyGenerator.builder().seed(77).applicants(400).days(2).build();
    List<RawRow> rows = Journeys.rows(generator, 77);
    assertTrue(differingCopies(generator.rows()) >= 10, "copies that differ: " + differingCopies(generator.rows()));
    ReferenceModel model = ReferenceModel.of(CONFIG).withBlacklist(Blacklist.empty()).withChannels(ChannelNames.empty());
    List<String> want = AlertJson.canonicalAlerts(model.run(rows).alerts);
    assertTrue(want.size() > 100, "alerts: " + want.size());
    Random random = new Random(78);
    List<RawRow> shuffled = new ArrayList<>(rows);
    for (int i = 0; i < 3; i++) {
      Collections.shuffle(shuffled, random);
      assertEquals(want, AlertJson.canonicalAlerts(model.run(shuffled).alerts), "the model, shuffle " + i);
    }
    for (PCollection<Alert> engine : alerts(pipeline, shuffled)) {
      PAssert.that(engine).satisfies(got -> {
        assertEquals(want, canonical(got));
        return null;
      });
    }
    pipeline.run().waitUntilFinish();
  }

  /** Exact duplicates (SPEC's key) whose copies differ in a field an alert shows or classifies by. */
  private static int differingCopies(List<Map<String, String>> rows) {
    Map<String, Map<String, String>> first = new HashMap<>();
    int differ = 0;
    for (Map<String, String> r : rows) {
      String key =
          String.join("|", r.get("mobile_tel"), r.get("user_id"), r.get("request_no"), r.get("request_status"),
              r.get("business_flag_last"), r.get("last_update_datetime").replaceAll("[^0-9]", "").substring(0, 14));
      Map<String, String> other = first.putIfAbsent(key, r);
      if (other != null
          && !(other.get("client_name").equals(r.get("client_name")) && other.get("branch_no").equals(r.get("branch_no"))
              && other.get("channel_code").equals(r.get("channel_code")))) {
        differ++;
      }
    }
    return differ;
  }

  /** The alerts of both engines: the session windows' and the batch one's. */
  private static List<PCollection<Alert>> alerts(TestPipeline pipeline, List<RawRow> rows) {
    PCollection<dev.stallwatch.domain.Event> events =
        pipeline.apply("Rows", Create.of(rows)).apply("Parse", ParseRows.inZone(CONFIG.zone())).get(ParseRows.events());
    PCollection<Alert> windows =
        events.apply(
            "StallAlerts",
            StallAlerts.of(CONFIG)
                .withBlacklist(pipeline.apply("Blacklist", Create.of(Blacklist.empty())).apply("BlacklistView", View.asSingleton()))
                .withChannels(
                    pipeline.apply("Channels", Create.of(ChannelNames.empty())).apply("ChannelsView", View.asSingleton())));
    return List.of(windows, events.apply("SortedStallAlerts", SortedStallAlerts.of(CONFIG)));
  }

  private static List<String> canonical(Iterable<Alert> got) {
    List<Alert> list = new ArrayList<>();
    got.forEach(list::add);
    return AlertJson.canonicalAlerts(list);
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> r = new ArrayList<>(list);
    Collections.reverse(r);
    return r;
  }
}
