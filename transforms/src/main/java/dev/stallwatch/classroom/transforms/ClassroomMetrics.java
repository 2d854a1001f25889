package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.SignalsConfig;
import java.time.ZoneId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters of the classroom family, all in namespace {@value #NAMESPACE}, each name prefixed
 * by its job ({@code c1.}, {@code c3.}, {@code c4.}, {@code c5.}), and the one text of a {@code
 * late} dead letter every job writes.
 *
 * <p>Per input job: {@code read} (non-blank messages), {@code bad} (dead letters but the late
 * ones), {@code late} (dead letters {@code late: ...}) and {@code ignored} (well-formed, not
 * counted); {@code read = out + ignored + bad + late} where {@code out} is C1's {@code signals},
 * C4's {@code events} and C5's accepted records. {@code rows} counts rows written, one per pane: a
 * row updated by an allowed-late record counts again. C4 also counts {@code unmatched}: successes
 * with no earlier event of their visit, which give no row.
 */
public final class ClassroomMetrics {
  private ClassroomMetrics() {}

  public static final String NAMESPACE = "classroom";

  /** Messages C1 read. */
  public static final String C1_READ = "c1.read";
  /** Student classroom signals C1 wrote. */
  public static final String C1_SIGNALS = "c1.signals";
  /** Well-formed messages that are no student classroom signal: counted, not dead letters. */
  public static final String C1_IGNORED = "c1.ignored";
  /** Messages C1 could not use: dead letters with their reason. */
  public static final String C1_BAD = "c1.bad";
  /** Signals the source stamped later than their event time: dead letters {@code late: ...}. */
  public static final String C1_LATE = "c1.late";
  /** Signals C3 was given stamped later than their event time: dead letters {@code late: ...}. */
  public static final String C3_LATE = "c3.late";
  /** Rows C3 emitted, one per pane. */
  public static final String C3_ROWS = "c3.rows";

  public static final String C4_READ = "c4.read";
  public static final String C4_BAD = "c4.bad";
  public static final String C4_LATE = "c4.late";
  public static final String C4_IGNORED = "c4.ignored";
  public static final String C4_ROWS = "c4.rows";
  public static final String C4_UNMATCHED = "c4.unmatched";

  public static final String C5_READ = "c5.read";
  public static final String C5_BAD = "c5.bad";
  public static final String C5_LATE = "c5.late";
  public static final String C5_IGNORED = "c5.ignored";
  public static final String C5_ROWS = "c5.rows";

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /**
   * The reason of a dead letter whose source stamped it ({@code stampMillis}) later than its event
   * time: both times local, to the millisecond; {@code what} is what the source gave ("message",
   * or "signal" for C3's input).
   */
  public static String lateReason(long eventMillis, long stampMillis, ZoneId zone, String what) {
    return "late: event time "
        + SignalsConfig.shownTime(eventMillis, zone)
        + " is before "
        + SignalsConfig.shownTime(stampMillis, zone)
        + ", the time its source gave the "
        + what;
  }
}
