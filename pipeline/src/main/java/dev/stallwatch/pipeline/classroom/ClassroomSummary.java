package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import dev.stallwatch.pipeline.files.ReadMessages;
import dev.stallwatch.text.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The counts a classroom run reports, per job: read, out, ignored, bad, late, rows. */
public final class ClassroomSummary {
  /** The counters shown, in order, with their labels. */
  private static final List<String[]> SHOWN =
      List.of(
          new String[] {ReadMessages.UNREADABLE_COUNTER, "unreadable dump lines"},
          new String[] {ClassroomMetrics.C1_READ, "C1 messages read"},
          new String[] {ClassroomMetrics.C1_SIGNALS, "C1 signals written"},
          new String[] {ClassroomMetrics.C1_IGNORED, "C1 ignored (no student signal)"},
          new String[] {ClassroomMetrics.C1_BAD, "C1 dead letters"},
          new String[] {ClassroomMetrics.C1_LATE, "C1 late"},
          new String[] {ClassroomMetrics.C3_LATE, "C3 late"},
          new String[] {ClassroomMetrics.C3_ROWS, "C3 rows written"},
          new String[] {ClassroomMetrics.C4_READ, "C4 messages read"},
          new String[] {ClassroomMetrics.C4_IGNORED, "C4 ignored"},
          new String[] {ClassroomMetrics.C4_BAD, "C4 dead letters"},
          new String[] {ClassroomMetrics.C4_LATE, "C4 late"},
          new String[] {ClassroomMetrics.C4_UNMATCHED, "C4 successes without a start"},
          new String[] {ClassroomMetrics.C4_ROWS, "C4 rows written"},
          new String[] {ClassroomMetrics.C5_READ, "C5 messages read"},
          new String[] {ClassroomMetrics.C5_IGNORED, "C5 ignored"},
          new String[] {ClassroomMetrics.C5_BAD, "C5 dead letters"},
          new String[] {ClassroomMetrics.C5_LATE, "C5 late"},
          new String[] {ClassroomMetrics.C5_ROWS, "C5 rows written"});

  private final Map<String, Long> counters = new LinkedHashMap<>();

  private ClassroomSummary() {}

  /** Reads the run's counters of namespace {@code classroom} (attempted values: every runner has those). */
  public static ClassroomSummary of(PipelineResult result) {
    ClassroomSummary s = new ClassroomSummary();
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().getNamespace().equals(ClassroomMetrics.NAMESPACE)) {
        Long value = c.getAttempted();
        s.counters.merge(c.getName().getName(), value == null ? 0L : value, Long::sum);
      }
    }
    return s;
  }

  public long get(String counter) {
    return counters.getOrDefault(counter, 0L);
  }

  /** A short table for people. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    for (String[] c : SHOWN) {
      sb.append(String.format("  %-32s %d%n", c[1], get(c[0])));
    }
    return sb.toString();
  }

  /** The same counts as one JSON object, named by counter, for scripts. */
  public String json() {
    JsonWriter w = new JsonWriter(512);
    for (String[] c : SHOWN) {
      w.field(c[0], get(c[0]));
    }
    return w.end();
  }
}
