package dev.stallwatch.classroom.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Names of the counters C1 ({@link CleanSignals}) and C3 ({@link ClassroomPerformance}) keep, in
 * the classroom family's namespace {@value #NAMESPACE}. The names carry their job ({@code c1.},
 * {@code c3.}) because the other classroom jobs count in the same namespace.
 *
 * <p>For C1, every non-empty input is one of {@link #READ}: {@code c1.read = c1.signals +
 * c1.ignored + c1.bad + c1.late}.
 */
public final class SignalMetrics {
  private SignalMetrics() {}

  public static final String NAMESPACE = "classroom";

  /** Messages C1 read. */
  public static final String READ = "c1.read";
  /** Student classroom signals C1 wrote. */
  public static final String SIGNALS = "c1.signals";
  /** Well-formed messages that are no student classroom signal (or blank): counted, not dead letters. */
  public static final String IGNORED = "c1.ignored";
  /** Messages that could not be used: dead letters with their reason. */
  public static final String BAD = "c1.bad";
  /** Signals the source stamped later than their event time: dead letters {@code late: ...}. */
  public static final String LATE = "c1.late";
  /** Signals C3 was given stamped later than their event time: dead letters {@code late: ...}. */
  public static final String C3_LATE = "c3.late";
  /** Rows C3 emitted, one per pane (a late update emits its row again). */
  public static final String C3_ROWS = "c3.rows";

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
