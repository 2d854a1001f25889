package dev.stallwatch.pipeline.stall;

import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.text.JsonWriter;
import dev.stallwatch.transforms.StallMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The counts a finished run reports: rows, bad rows, duplicates, stalls, alerts, suppressions. */
public final class Summary {
  private final Map<String, Long> counters = new LinkedHashMap<>();
  private final StallConfig config;

  private Summary(StallConfig config) {
    this.config = config;
  }

  /** Reads the run's counters (attempted values: every runner reports those). */
  public static Summary of(PipelineResult result, StallConfig config) {
    Summary s = new Summary(config);
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : metrics.getCounters()) {
      String name = c.getName().getName();
      String key;
      if (c.getName().getNamespace().equals(StallMetrics.NAMESPACE)) {
        key = name;
      } else if (name.equalsIgnoreCase(StallMetrics.DROPPED_LATE)) {
        key = StallMetrics.DROPPED_LATE;
      } else {
        continue;
      }
      Long value = c.getAttempted();
      s.counters.merge(key, value == null ? 0L : value, Long::sum);
    }
    return s;
  }

  public long get(String counter) {
    return counters.getOrDefault(counter, 0L);
  }

  public long perRoute(String prefix, String route) {
    return get(prefix + route);
  }

  private String routes(String prefix) {
    StringBuilder sb = new StringBuilder();
    for (Route r : config.routes()) {
      if (sb.length() > 0) {
        sb.append("  ");
      }
      sb.append(r.name()).append('=').append(perRoute(prefix, r.name()));
    }
    return sb.toString();
  }

  /** A short table for people. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    row(sb, "rows read", Long.toString(get(StallMetrics.ROWS_READ)));
    row(sb, "bad rows", Long.toString(get(StallMetrics.BAD_ROWS)));
    row(sb, "duplicates", Long.toString(get(StallMetrics.DUPLICATES)));
    row(sb, "stalls", Long.toString(get(StallMetrics.STALLS)));
    row(sb, "alerts", routes(StallMetrics.ALERTS));
    row(sb, "suppressed: blacklist", routes(StallMetrics.SUPPRESSED_BLACKLIST));
    row(sb, "suppressed: send window", routes(StallMetrics.SUPPRESSED_SEND_WINDOW));
    row(sb, "suppressed: once per " + config.oncePer().describe(), routes(StallMetrics.SUPPRESSED_ONCE_PER_PERIOD));
    row(sb, "late rows dropped", Long.toString(get(StallMetrics.DROPPED_LATE)));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, String value) {
    sb.append(String.format("  %-32s %s%n", label, value));
  }

  /** The same counts as one JSON object, for scripts. */
  public String json() {
    JsonWriter w = new JsonWriter(512);
    w.field("rows_read", get(StallMetrics.ROWS_READ))
        .field("bad_rows", get(StallMetrics.BAD_ROWS))
        .field("duplicates", get(StallMetrics.DUPLICATES))
        .field("stalls", get(StallMetrics.STALLS));
    for (Route r : config.routes()) {
      w.field("alerts." + r.name(), perRoute(StallMetrics.ALERTS, r.name()));
      w.field("suppressed.blacklist." + r.name(), perRoute(StallMetrics.SUPPRESSED_BLACKLIST, r.name()));
      w.field("suppressed.send_window." + r.name(), perRoute(StallMetrics.SUPPRESSED_SEND_WINDOW, r.name()));
      w.field(
          "suppressed.once_per_period." + r.name(),
          perRoute(StallMetrics.SUPPRESSED_ONCE_PER_PERIOD, r.name()));
    }
    w.field("late_rows_dropped", get(StallMetrics.DROPPED_LATE));
    return w.end();
  }
}
