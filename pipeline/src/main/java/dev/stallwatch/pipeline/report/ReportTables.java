package dev.stallwatch.pipeline.report;

import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StepCatalog;
import dev.stallwatch.domain.StepClass;
import dev.stallwatch.report.FunnelTally;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The funnel report's tables, made from one {@link FunnelTally}: {@code steps} (per dimension,
 * value and step class), {@code alerts} and {@code suppressed} (per config, route and date),
 * {@code summary}, and with a comparison {@code compare} (per stall day and route). Every order is
 * fixed, so the same dump gives the same files.
 */
public final class ReportTables implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final List<String> STEP_COLUMNS = List.of(
      "dimension", "value", "value_name", "step_class", "step_code", "step_name", "rule", "reached",
      "left_for_later_step", "submitted", "stalled", "visits_timed", "median_seconds", "p90_seconds");
  public static final List<String> COMPARE_COLUMNS = List.of(
      "day", "route", "current", "other", "only_current", "only_other", "both", "median_shift_seconds",
      "mean_shift_seconds");
  private static final List<String> REASONS = List.of("blacklist", "send_window", "once_per_period");

  private final StallConfig config;
  private final StallConfig other;
  private final ChannelNames channels;

  /** Tables for a report under {@code config}, compared with {@code other} (null: no comparison). */
  public ReportTables(StallConfig config, StallConfig other, ChannelNames channels) {
    this.config = config;
    this.other = other;
    this.channels = channels;
  }

  /** The tables of {@code tally}: steps, alerts, suppressed, summary and, with a comparison, compare. */
  public List<ReportTable> of(FunnelTally tally) {
    List<ReportTable> tables = new ArrayList<>();
    tables.add(steps(tally));
    tables.add(alerts(tally));
    tables.add(suppressed(tally));
    tables.add(summary(tally));
    if (other != null) {
      tables.add(compare(tally));
    }
    return tables;
  }

  private ReportTable steps(FunnelTally tally) {
    List<FunnelTally.StepCounts> rows = new ArrayList<>(tally.steps());
    rows.sort(Comparator.comparingInt((FunnelTally.StepCounts r) -> FunnelTally.DIMENSIONS.indexOf(r.dimension()))
        .thenComparing(FunnelTally.StepCounts::value)
        .thenComparingInt(r -> stepOrder(r.stepClass()))
        .thenComparing(FunnelTally.StepCounts::stepClass));
    List<List<String>> cells = new ArrayList<>(rows.size());
    StepCatalog catalog = config.catalog();
    for (FunnelTally.StepCounts r : rows) {
      StepClass cls = catalog.contains(r.stepClass()) ? catalog.get(r.stepClass()) : null;
      Rule rule = config.ruleFor(r.stepClass());
      cells.add(List.of(
          r.dimension(),
          r.value(),
          r.dimension().equals("channel") ? channels.nameOf(r.value()) : "",
          r.stepClass(),
          cls == null ? "" : cls.stepCode(),
          cls == null ? "" : cls.stepName(),
          rule == null ? "" : rule.name(),
          Long.toString(r.reached()),
          Long.toString(r.left()),
          Long.toString(r.submitted()),
          Long.toString(r.stalled()),
          Long.toString(r.visitsTimed()),
          r.medianSeconds() == null ? "" : Long.toString(r.medianSeconds()),
          r.p90Seconds() == null ? "" : Long.toString(r.p90Seconds())));
    }
    return new ReportTable("steps", STEP_COLUMNS, cells);
  }

  /** A class's place: the catalog's order, then UNKNOWN. */
  private int stepOrder(String stepClass) {
    List<StepClass> classes = config.catalog().classes();
    for (int i = 0; i < classes.size(); i++) {
      if (classes.get(i).name().equals(stepClass)) {
        return i;
      }
    }
    return classes.size();
  }

  private ReportTable alerts(FunnelTally tally) {
    List<List<String>> rows = keyed(tally.alerts(), false);
    return new ReportTable("alerts", List.of("config", "route", "occur_date", "alerts"), rows);
  }

  private ReportTable suppressed(FunnelTally tally) {
    List<List<String>> rows = keyed(tally.suppressed(), true);
    return new ReportTable("suppressed", List.of("config", "route", "reason", "date", "suppressed"), rows);
  }

  /**
   * Rows of key parts and their count, sorted by config (current first), route (the config's order),
   * then the parts after it (a suppression reason first, when {@code reasonFirst}, in its fixed order).
   */
  private List<List<String>> keyed(Map<List<String>, Long> counts, boolean reasonFirst) {
    List<List<String>> keys = new ArrayList<>(counts.keySet());
    keys.sort(Comparator.comparingInt((List<String> k) -> k.get(0).equals(FunnelTally.CURRENT) ? 0 : 1)
        .thenComparingInt(k -> routeOrder(k.get(0), k.get(1)))
        .thenComparingInt(k -> reasonFirst ? REASONS.indexOf(k.get(2)) : 0)
        .thenComparing(k -> String.join("\u0001", k.subList(2, k.size()))));
    List<List<String>> rows = new ArrayList<>(keys.size());
    for (List<String> k : keys) {
      List<String> row = new ArrayList<>(k);
      row.add(Long.toString(counts.get(k)));
      rows.add(row);
    }
    return rows;
  }

  private int routeOrder(String whichConfig, String route) {
    StallConfig c = whichConfig.equals(FunnelTally.OTHER) && other != null ? other : config;
    List<Route> routes = c.routes();
    for (int i = 0; i < routes.size(); i++) {
      if (routes.get(i).name().equals(route)) {
        return i;
      }
    }
    return routes.size();
  }

  private ReportTable summary(FunnelTally tally) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, Long> totals = tally.totals();
    for (String name : List.of("applicants", "events", "duplicates", "dead_letters", "submitted", "stalls")) {
      rows.add(List.of(name, Long.toString(totals.getOrDefault(name, 0L))));
    }
    Map<List<String>, Long> alerts = tally.alerts();
    for (String which : other == null ? List.of(FunnelTally.CURRENT) : List.of(FunnelTally.CURRENT, FunnelTally.OTHER)) {
      for (Route route : (which.equals(FunnelTally.OTHER) ? other : config).routes()) {
        long n = 0;
        for (Map.Entry<List<String>, Long> e : alerts.entrySet()) {
          if (e.getKey().get(0).equals(which) && e.getKey().get(1).equals(route.name())) {
            n += e.getValue();
          }
        }
        rows.add(List.of((which.equals(FunnelTally.OTHER) ? "other_alerts_" : "alerts_") + route.name(), Long.toString(n)));
      }
    }
    return new ReportTable("summary", List.of("metric", "value"), rows);
  }

  private ReportTable compare(FunnelTally tally) {
    List<FunnelTally.Comparison> rows = new ArrayList<>(tally.comparisons());
    rows.sort(Comparator.comparing(FunnelTally.Comparison::day).thenComparingInt(r -> routeOrder(FunnelTally.CURRENT, r.route()))
        .thenComparing(FunnelTally.Comparison::route));
    List<List<String>> cells = new ArrayList<>();
    for (FunnelTally.Comparison r : rows) {
      cells.add(List.of(
          r.day(), r.route(), Long.toString(r.current()), Long.toString(r.other()), Long.toString(r.onlyCurrent()),
          Long.toString(r.onlyOther()), Long.toString(r.both()),
          r.medianShiftSeconds() == null ? "" : Long.toString(r.medianShiftSeconds()),
          r.meanShiftSeconds() == null ? "" : Long.toString(Math.round(r.meanShiftSeconds()))));
    }
    return new ReportTable("compare", COMPARE_COLUMNS, cells);
  }
}
