package dev.stallwatch.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** Names of the counters StallWatch's transforms keep, all in namespace {@link #NAMESPACE}. */
public final class StallMetrics {
  private StallMetrics() {}

  public static final String NAMESPACE = "stallwatch";

  public static final String ROWS_READ = "rows_read";
  public static final String BAD_ROWS = "bad_rows";
  /**
   * Rows the streaming job read later than its allowed lateness behind their partition's
   * watermark: dead letters with reason {@code late: ...}, never merged into closed sessions.
   */
  public static final String LATE_ROWS = "late_rows";
  /**
   * Rows whose time was further ahead of the streaming job's clock than it accepts: dead letters
   * with reason {@code future: ...}, so no row can push the watermark past the present.
   */
  public static final String FUTURE_ROWS = "future_rows";
  public static final String DUPLICATES = "duplicates";
  public static final String STALLS = "stalls";
  /**
   * Stalls per step class: {@code stalls_at.VIDEO} and so on, counted where {@link #STALLS} is, so
   * that a runner's dashboard (Flink's) shows live at which steps applicants stall.
   */
  public static final String STALLS_AT = "stalls_at.";
  public static final String ALERTS = "alerts.";
  public static final String SUPPRESSED_BLACKLIST = "suppressed.blacklist.";
  public static final String SUPPRESSED_SEND_WINDOW = "suppressed.send_window.";
  public static final String SUPPRESSED_ONCE_PER_PERIOD = "suppressed.once_per_period.";

  /**
   * The counter Beam's runners keep for elements that arrived after their window's allowed
   * lateness had passed and so were dropped by the session grouping (once per session family;
   * the direct runner spells it with a capital D).
   */
  public static final String DROPPED_LATE = "droppedDueToLateness";

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /** The counter of stalls at {@code stepClass}. */
  static Counter stallsAt(String stepClass) {
    return Metrics.counter(NAMESPACE, STALLS_AT + stepClass);
  }

  static Counter perRoute(String prefix, String route) {
    return Metrics.counter(NAMESPACE, prefix + route);
  }
}
