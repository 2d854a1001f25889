package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.AvSample;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.parse.AvParser;
import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.Text;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * CLASSROOM.md C5 in plain, single-threaded Java, apart from {@code AvQuality}: given every message
 * with the stamp its source gave it, each window's final row (after every allowed-late record),
 * the dead letters and the counts. A message stamped later than its {@code messageCreateTime} is
 * late (its source found it beyond the allowed lateness); every sample of the others counts in the
 * 30-second window, aligned to the epoch, that holds its time.
 */
public final class AvModel {
  private final QualityConfig config;

  private AvModel(QualityConfig config) {
    this.config = config;
  }

  public static AvModel of(QualityConfig config) {
    return new AvModel(config);
  }

  /** What a run gives. Rows are sorted by their JSON text. */
  public static final class Result {
    public final List<AvQualityRow> rows = new ArrayList<>();
    public final List<BadRecord> deadLetters = new ArrayList<>();
    public long read;
    public long bad;
    public long late;
    public long ignored;
    public long samples;
  }

  public Result run(List<TimestampedValue<Message>> messages) {
    ZoneId zone = config.zone();
    AvParser parser = new AvParser(zone);
    long size = QualityConfig.AV_WINDOW.getMillis();
    Result result = new Result();
    Map<String, long[]> totals = new TreeMap<>();
    Map<String, AvSample.Key> keys = new TreeMap<>();
    for (TimestampedValue<Message> stamped : messages) {
      Message m = stamped.getValue();
      if (Text.isBlank(m.value())) {
        continue;
      }
      result.read++;
      AvParser.Parsed p = parser.parse(m);
      if (p.isBad()) {
        result.bad++;
        result.deadLetters.add(BadRecord.of(m.value(), m.origin(), p.bad()));
        continue;
      }
      if (p.isIgnored()) {
        result.ignored++;
        continue;
      }
      long stamp = stamped.getTimestamp().getMillis();
      if (p.timeMillis() < stamp) {
        result.late++;
        result.deadLetters.add(BadRecord.of(m.value(), m.origin(), ClassroomMetrics.lateReason(p.timeMillis(), stamp, zone, "message")));
        continue;
      }
      for (AvSample s : p.samples()) {
        result.samples++;
        long start = s.timeMillis() - Math.floorMod(s.timeMillis(), size);
        String id = start + "\u0001" + s.key();
        keys.put(id, s.key());
        long[] t = totals.computeIfAbsent(id, k -> new long[3]);
        t[0] = start;
        t[1] += s.value();
        t[2]++;
      }
    }
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      long[] t = e.getValue();
      result.rows.add(AvQualityRow.of(t[0], t[0] + size, keys.get(e.getKey()), t[1], t[2], zone));
    }
    result.rows.sort((a, b) -> a.toJson().compareTo(b.toJson()));
    return result;
  }
}
