package dev.stallwatch.classroom.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Names of the counters of C4 ({@link CourseDuration}, prefix {@code course_}) and C5 ({@link
 * AvQuality}, prefix {@code av_}), all in namespace {@value #NAMESPACE}. Per job: {@code read}
 * (non-blank messages), {@code bad} (dead letters but the late ones), {@code late} (dead letters
 * {@code late: ...}), {@code ignored} (well-formed, not counted) and {@code rows} (rows written;
 * for C5 each rewrite of a row by an allowed-late record counts again). C4 also counts {@code
 * unmatched}: successes with no earlier event of their visit, which give no row.
 */
public final class QosMetrics {
  private QosMetrics() {}

  public static final String NAMESPACE = "classroom";

  public static final String COURSE_READ = "course_read";
  public static final String COURSE_BAD = "course_bad";
  public static final String COURSE_LATE = "course_late";
  public static final String COURSE_IGNORED = "course_ignored";
  public static final String COURSE_ROWS = "course_rows";
  public static final String COURSE_UNMATCHED = "course_unmatched";

  public static final String AV_READ = "av_read";
  public static final String AV_BAD = "av_bad";
  public static final String AV_LATE = "av_late";
  public static final String AV_IGNORED = "av_ignored";
  public static final String AV_ROWS = "av_rows";

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /** The reason of a dead letter whose source stamped it later than its event time. */
  public static String lateReason(long eventMillis, long stampMillis, java.time.ZoneId zone) {
    return "late: event time "
        + dev.stallwatch.text.EventTimes.dateTime(eventMillis, zone)
        + " is before "
        + dev.stallwatch.text.EventTimes.dateTime(stampMillis, zone)
        + ", the time its source gave the message";
  }
}
