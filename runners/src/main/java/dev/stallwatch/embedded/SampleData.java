package dev.stallwatch.embedded;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.parse.DimensionCsv;
import dev.stallwatch.pipeline.kafka.KafkaReplay;
import dev.stallwatch.text.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The embedded default's dimensions: a blacklist drawn from the replay, and the sample channels. */
final class SampleData {
  private SampleData() {}

  /**
   * A blacklist for the replay: every 25th distinct id_no and every 40th distinct mobile of the
   * generated journeys, so the call-centre route visibly excludes some stalls.
   */
  static Blacklist blacklist(KafkaReplay replay) {
    TreeSet<String> ids = new TreeSet<>();
    TreeSet<String> mobiles = new TreeSet<>();
    for (KafkaReplay.Message m : replay.messages()) {
      Map<String, String> row = JsonReader.flatFields(m.json);
      ids.add(row.getOrDefault("id_no", ""));
      mobiles.add(row.getOrDefault("mobile_tel", ""));
    }
    ids.remove("");
    mobiles.remove("");
    return Blacklist.of(everyNth(ids, 25), everyNth(mobiles, 40));
  }

  private static List<String> everyNth(TreeSet<String> values, int n) {
    List<String> picked = new ArrayList<>();
    int i = 0;
    for (String v : values) {
      if (i++ % n == 0) {
        picked.add(v);
      }
    }
    return picked;
  }

  /** The channel names of the sample data ({@code src/samples/channels.csv}). */
  static ChannelNames channels() {
    try (InputStream in = SampleData.class.getResourceAsStream("/dev/stallwatch/samples/channels.csv")) {
      if (in == null) {
        return ChannelNames.empty();
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return DimensionCsv.channels(List.of(text.split("\r?\n")), "samples/channels.csv");
    } catch (IOException e) {
      return ChannelNames.empty();
    }
  }
}
