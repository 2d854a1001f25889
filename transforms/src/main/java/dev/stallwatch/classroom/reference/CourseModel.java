package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QosEvent;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.parse.QosParser;
import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.Text;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * CLASSROOM.md C4 in plain, single-threaded Java, written from its sentences and apart from {@code
 * CourseDuration}: given every message with the stamp its source gave it, the final rows, dead
 * letters and counts. The tests hold the Beam transform to it.
 *
 * <p>A message stamped later than its {@code data_time} is late. Of the others, each (user,
 * classroom)'s events are sorted ({@link QosEvent#EARLIEST_FIRST}) and cut into visits where two
 * consecutive times are an idle time or more apart; a success's row measures from its visit's first
 * event when that is strictly earlier, one row per distinct success time.
 */
public final class CourseModel {
  private final QualityConfig config;

  private CourseModel(QualityConfig config) {
    this.config = config;
  }

  public static CourseModel of(QualityConfig config) {
    return new CourseModel(config);
  }

  /** What a run gives. Rows are sorted by user, classroom and success time. */
  public static final class Result {
    public final List<CourseDurationRow> rows = new ArrayList<>();
    public final List<BadRecord> deadLetters = new ArrayList<>();
    public long read;
    public long bad;
    public long late;
    public long ignored;
    public long unmatched;
  }

  public Result run(List<TimestampedValue<Message>> messages) {
    ZoneId zone = config.zone();
    QosParser parser = new QosParser(zone);
    Result result = new Result();
    Map<String, List<QosEvent>> byVisitor = new LinkedHashMap<>();
    for (TimestampedValue<Message> stamped : messages) {
      Message m = stamped.getValue();
      if (Text.isBlank(m.value())) {
        continue;
      }
      result.read++;
      QosParser.Parsed p = parser.parse(m);
      if (!p.ok()) {
        result.bad++;
        result.deadLetters.add(BadRecord.of(m.value(), m.origin(), p.reason()));
        continue;
      }
      long stamp = stamped.getTimestamp().getMillis();
      if (p.event().dataTime() < stamp) {
        result.late++;
        result.deadLetters.add(BadRecord.of(m.value(), m.origin(), ClassroomMetrics.lateReason(p.event().dataTime(), stamp, zone, "message")));
        continue;
      }
      byVisitor.computeIfAbsent(p.event().userId() + "\u0001" + p.event().classroomId(), k -> new ArrayList<>()).add(p.event());
    }
    long idle = config.courseIdle().getMillis();
    for (List<QosEvent> events : byVisitor.values()) {
      events.sort(QosEvent.EARLIEST_FIRST);
      QosEvent visitFirst = null;
      long previous = 0;
      Long lastRowAt = null;
      for (QosEvent e : events) {
        if (visitFirst == null || e.dataTime() - previous >= idle) {
          visitFirst = e;
        }
        previous = e.dataTime();
        if (!e.isSuccess()) {
          continue;
        }
        if (visitFirst.dataTime() >= e.dataTime()) {
          result.unmatched++;
        } else if (lastRowAt == null || lastRowAt != e.dataTime()) {
          lastRowAt = e.dataTime();
          result.rows.add(CourseDurationRow.of(visitFirst, e, zone));
        }
      }
    }
    result.rows.sort(
        Comparator.comparingLong(CourseDurationRow::userId)
            .thenComparing(CourseDurationRow::classroomId)
            .thenComparingLong(CourseDurationRow::successMillis));
    return result;
  }
}
