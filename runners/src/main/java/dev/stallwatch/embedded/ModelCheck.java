package dev.stallwatch.embedded;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.reference.ReferenceModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The embedded default's summary: what reached the topics and the audit table, each beside the
 * reference model's count, and whether they are exactly the model's.
 */
final class ModelCheck {
  private final ReferenceModel.Result expected;
  private final PrintStream out;
  private final PrintStream err;

  ModelCheck(ReferenceModel.Result expected, PrintStream out, PrintStream err) {
    this.expected = expected;
    this.out = out;
    this.err = err;
  }

  /** Prints what reached each output beside the model's count; answers the alerts received. */
  List<String> printCounts(
      long sent, AlertFeed feed, Map<String, String> routeOfTopic, String deadLetterTopic, String auditTable, List<String> audit) {
    List<String> got = new ArrayList<>();
    out.println();
    out.println("StallWatch run (embedded default) finished");
    out.printf("  %-32s %d%n", "events sent", sent);
    for (Map.Entry<String, String> e : routeOfTopic.entrySet()) {
      List<AlertFeed.Received> alerts = feed.received(e.getKey());
      alerts.forEach(r -> got.add(r.value));
      long modelCount = expected.alerts.stream().filter(a -> a.route().equals(e.getValue())).count();
      out.printf("  %-32s %d (model %d)%n", "alerts " + e.getValue() + " → " + e.getKey(), alerts.size(), modelCount);
    }
    out.printf("  %-32s %d (model %d)%n", "dead letters → " + deadLetterTopic, feed.count(deadLetterTopic), expected.deadLetters.size());
    out.printf("  %-32s %d (alerts %d)%n", "audit rows → " + auditTable, audit.size(), got.size());
    return got;
  }

  /** Whether the alerts {@code got}, the dead letters and the {@code audit} rows equal the model's. */
  boolean matches(List<String> got, int deadLetters, List<String> audit) {
    List<String> want = new ArrayList<>();
    List<String> wantAudit = new ArrayList<>();
    for (Alert a : expected.alerts) {
      want.add(a.toJson());
      wantAudit.add(String.join("|", a.eventId(), a.mobile(), a.occurDate(), a.occurTime(), a.route()));
    }
    Collections.sort(want);
    Collections.sort(got);
    Collections.sort(wantAudit);
    List<String> gotAudit = new ArrayList<>(audit);
    Collections.sort(gotAudit);
    if (!wantAudit.equals(gotAudit)) {
      err.printf(
          "stallwatch run: the audit table differs from the reference model's alerts: %d rows, %d alerts%n",
          gotAudit.size(), wantAudit.size());
      return false;
    }
    if (!want.equals(got) || deadLetters != expected.deadLetters.size()) {
      TreeSet<String> missing = new TreeSet<>(want);
      got.forEach(missing::remove);
      TreeSet<String> extra = new TreeSet<>(got);
      want.forEach(extra::remove);
      err.printf(
          "stallwatch run: the job's output differs from the reference model: %d alert(s) missing, %d"
              + " unexpected, dead letters %d vs %d%n",
          missing.size(), extra.size(), deadLetters, expected.deadLetters.size());
      missing.stream().limit(3).forEach(m -> err.println("  missing " + AlertLines.brief(m)));
      extra.stream().limit(3).forEach(m -> err.println("  unexpected " + AlertLines.brief(m)));
      return false;
    }
    out.printf("  %-32s %s%n", "check", "alerts, audit rows and dead letters equal the reference model's");
    return true;
  }

  /** Deadline-to-alert delays of the alerts occurring on {@code day} (all alerts when empty). */
  void printLatency(String day, List<Long> latencies, double speed) {
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    Collections.sort(sorted);
    if (!sorted.isEmpty()) {
      out.printf(
          "  %-32s p50 %.2f s, p99 %.2f s, max %.2f s (wall clock; the day ran %.0fx)%n",
          day.isEmpty() ? "deadline → alert on topic" : "deadline → alert, " + day,
          percentile(sorted, 0.50) / 1000.0,
          percentile(sorted, 0.99) / 1000.0,
          sorted.get(sorted.size() - 1) / 1000.0,
          speed);
    }
  }

  private static long percentile(List<Long> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }
}
