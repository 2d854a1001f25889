package dev.stallwatch.report;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.StepCatalog;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The funnel report's counts, added up applicant by applicant and merged across buckets: what a
 * report's tables are made of. Plain counting, no rule of its own: which events count, which are
 * stalls and which alerts are sent or suppressed come from the stall pass that feeds it.
 *
 * <p>Per step class and per dimension (all, channel, branch, hour of day):
 *
 * <ul>
 *   <li><b>reached</b>: applicants with an event of the class; each counts once, under the channel,
 *       branch and local hour of its first event there;
 *   <li><b>left for a later step</b>: of those, applicants with a later event of another known class;
 *   <li><b>submitted</b>: of those, applicants with a later terminal event (submitted, or a status
 *       that left the in-progress state);
 *   <li><b>stalled</b>: of those, applicants with a stall at an event of the class;
 *   <li><b>time at step</b>: per visit (a run of consecutive events of the class), from its first
 *       event to the next event of another class or a terminal one, in whole seconds, under the
 *       visit's own first event; a visit with nothing after it is not timed.
 * </ul>
 *
 * Alerts and suppressed alerts are counted per config, route and local date; a comparison of two
 * configs per stall day and route (see {@link #compare}).
 */
public final class FunnelTally implements java.io.Serializable {
  // Serializable only because Combine.globally keeps its empty default in the function it ships;
  // a runner moves tallies with TallyCoder.
  private static final long serialVersionUID = 1L;
  /** The dimensions of the step tables, in the order the tables list them. */
  public static final List<String> DIMENSIONS = List.of("all", "channel", "branch", "hour");
  /** The config the report runs under, and the one it is compared with. */
  public static final String CURRENT = "current";
  public static final String OTHER = "other";

  private static final char SEP = '\u0001';
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final int REACHED = 0;
  private static final int LEFT = 1;
  private static final int SUBMITTED = 2;
  private static final int STALLED = 3;

  /** Counters per step key (dimension, value, class): reached, left, submitted, stalled. */
  private final Map<String, long[]> steps = new HashMap<>();
  /** Per step key: visits by whole seconds at the step. */
  private final Map<String, Histogram> seconds = new HashMap<>();
  /** Per config, route and occur date. */
  private final Map<String, Long> alerts = new HashMap<>();
  /** Per config, route, reason and date. */
  private final Map<String, Long> suppressed = new HashMap<>();
  /** Per stall day and route: current, other, only current, only other, both. */
  private final Map<String, long[]> compare = new HashMap<>();
  /** Per stall day and route: alerts both raise, by the other's occur time minus the current's, in seconds. */
  private final Map<String, Histogram> shifts = new HashMap<>();
  /** Whole-report counts by name (applicants, events, duplicates, stalls, dead letters ...). */
  private final Map<String, Long> totals = new HashMap<>();

  /** Adds {@code n} to the whole-report count {@code name}. */
  public void count(String name, long n) {
    if (n != 0) {
      totals.merge(name, n, Long::sum);
    }
  }

  /**
   * Adds one applicant: its counted events in SPEC order, classified, and the indexes of those that
   * are stalls.
   */
  public void addJourney(List<Event> counted, BitSet stalls, ZoneId zone) {
    count("applicants", 1);
    count("events", counted.size());
    Set<String> seen = new HashSet<>();
    boolean submittedOnce = false;
    for (int i = 0; i < counted.size(); i++) {
      Event e = counted.get(i);
      String cls = e.stepClass();
      if (e.isTerminal()) {
        submittedOnce = true;
        continue;
      }
      boolean visitStart = i == 0 || !cls.equals(counted.get(i - 1).stepClass());
      if (visitStart) {
        int end = i + 1;
        while (end < counted.size() && counted.get(end).stepClass().equals(cls)) {
          end++;
        }
        if (end < counted.size()) {
          long secondsAt = Math.floorDiv(counted.get(end).eventMillis() - e.eventMillis(), 1000L);
          for (String key : keys(e, cls, zone)) {
            seconds.computeIfAbsent(key, k -> new Histogram()).add(secondsAt, 1);
          }
        }
      }
      if (!seen.add(cls)) {
        continue;
      }
      boolean left = false;
      boolean submitted = false;
      boolean stalled = false;
      for (int j = i; j < counted.size(); j++) {
        Event later = counted.get(j);
        if (later.isTerminal()) {
          submitted |= j > i;
        } else if (!later.stepClass().equals(cls) && !StepCatalog.UNKNOWN.equals(later.stepClass())) {
          left = true;
        } else if (later.stepClass().equals(cls) && stalls.get(j)) {
          stalled = true;
        }
      }
      for (String key : keys(e, cls, zone)) {
        long[] c = steps.computeIfAbsent(key, k -> new long[4]);
        c[REACHED]++;
        c[LEFT] += left ? 1 : 0;
        c[SUBMITTED] += submitted ? 1 : 0;
        c[STALLED] += stalled ? 1 : 0;
      }
    }
    if (submittedOnce) {
      count("submitted", 1);
    }
  }

  /** The step keys an event at {@code cls} counts under: one per dimension. */
  private static List<String> keys(Event e, String cls, ZoneId zone) {
    long millis = e.eventMillis();
    int offset = zone.getRules().getOffset(Instant.ofEpochMilli(millis)).getTotalSeconds();
    int hour = (int) Math.floorMod(Math.floorDiv(millis, 1000L) + offset, 86_400L) / 3600;
    return List.of(
        key("all", "", cls),
        key("channel", e.channelCode(), cls),
        key("branch", e.branchNo(), cls),
        key("hour", hour < 10 ? "0" + hour : Integer.toString(hour), cls));
  }

  private static String key(String dimension, String value, String cls) {
    return dimension + SEP + value + SEP + cls;
  }

  /** An alert {@code config} sends. */
  public void addAlert(String config, Alert a) {
    alerts.merge(config + SEP + a.route() + SEP + a.occurDate(), 1L, Long::sum);
  }

  /** An alert {@code config}'s {@code route} did not send, for {@code reason}, at {@code millis}. */
  public void addSuppressed(String config, String route, String reason, long millis, ZoneId zone) {
    String day = Instant.ofEpochMilli(millis).atZone(zone).format(DAY);
    suppressed.merge(config + SEP + route + SEP + reason + SEP + day, 1L, Long::sum);
  }

  /**
   * One bucket's alerts under the current and the other config, matched: the same route,
   * applicant, request, step code and last activity make the same alert. Counted per route and
   * stall day (the date of the last activity, which both share even when one defers its alert to
   * another day): the alerts of each, those only one raises, and for those both raise the shift
   * of the occur time (other minus current).
   */
  public void compare(List<Alert> current, List<Alert> other) {
    Map<String, List<Alert>> a = byIdentity(current);
    Map<String, List<Alert>> b = byIdentity(other);
    Set<String> identities = new HashSet<>(a.keySet());
    identities.addAll(b.keySet());
    for (String id : identities) {
      List<Alert> x = a.getOrDefault(id, List.of());
      List<Alert> y = b.getOrDefault(id, List.of());
      Alert any = x.isEmpty() ? y.get(0) : x.get(0);
      String key = stallDay(any) + SEP + any.route();
      long[] c = compare.computeIfAbsent(key, k -> new long[5]);
      int both = Math.min(x.size(), y.size());
      c[0] += x.size();
      c[1] += y.size();
      c[2] += x.size() - both;
      c[3] += y.size() - both;
      c[4] += both;
      for (int i = 0; i < both; i++) {
        long shift = Math.floorDiv(y.get(i).occurMillis() - x.get(i).occurMillis(), 1000L);
        shifts.computeIfAbsent(key, k -> new Histogram()).add(shift, 1);
      }
    }
  }

  /** What makes two configs' alerts the same alert (see {@link #compare}). */
  private static String identity(Alert a) {
    return a.route() + SEP + a.mobile() + SEP + a.userId() + SEP + a.requestNo() + SEP + a.businessFlag() + SEP
        + a.stepCode() + SEP + a.lastActivity();
  }

  /** The stall day of an alert: the date of its last activity, {@code yyyyMMdd}. */
  private static String stallDay(Alert a) {
    return LocalDateTime.parse(a.lastActivity(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")).format(DAY);
  }

  private static Map<String, List<Alert>> byIdentity(List<Alert> alerts) {
    Map<String, List<Alert>> m = new HashMap<>();
    for (Alert a : alerts) {
      m.computeIfAbsent(identity(a), k -> new ArrayList<>()).add(a);
    }
    for (List<Alert> l : m.values()) {
      l.sort((p, q) -> Long.compare(p.occurMillis(), q.occurMillis()));
    }
    return m;
  }

  /** Adds everything of {@code other} to this tally. */
  public FunnelTally merge(FunnelTally other) {
    other.steps.forEach((k, v) -> {
      long[] c = steps.computeIfAbsent(k, x -> new long[v.length]);
      for (int i = 0; i < v.length; i++) {
        c[i] += v[i];
      }
    });
    other.compare.forEach((k, v) -> {
      long[] c = compare.computeIfAbsent(k, x -> new long[v.length]);
      for (int i = 0; i < v.length; i++) {
        c[i] += v[i];
      }
    });
    mergeHistograms(seconds, other.seconds);
    mergeHistograms(shifts, other.shifts);
    other.alerts.forEach((k, v) -> alerts.merge(k, v, Long::sum));
    other.suppressed.forEach((k, v) -> suppressed.merge(k, v, Long::sum));
    other.totals.forEach((k, v) -> totals.merge(k, v, Long::sum));
    return this;
  }

  private static void mergeHistograms(Map<String, Histogram> into, Map<String, Histogram> from) {
    from.forEach((k, h) -> into.computeIfAbsent(k, x -> new Histogram()).addAll(h));
  }

  /** Every count as plain values, for equality: counter arrays as lists. */
  private List<Object> canonical() {
    return List.of(lists(steps), seconds, alerts, suppressed, lists(compare), shifts, totals);
  }

  private static Map<String, List<Long>> lists(Map<String, long[]> m) {
    Map<String, List<Long>> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, java.util.Arrays.stream(v).boxed().toList()));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunnelTally t && canonical().equals(t.canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  // ------------------------------------------------------------------ reading it

  /** One step row: its dimension, value and class, and its counts. */
  public record StepCounts(
      String dimension, String value, String stepClass, long reached, long left, long submitted, long stalled,
      long visitsTimed, Long medianSeconds, Long p90Seconds) {}

  /** Every step row, unordered. */
  public List<StepCounts> steps() {
    Set<String> keys = new HashSet<>(steps.keySet());
    keys.addAll(seconds.keySet());
    List<StepCounts> rows = new ArrayList<>(keys.size());
    for (String k : keys) {
      String[] parts = k.split(String.valueOf(SEP), -1);
      long[] c = steps.getOrDefault(k, new long[4]);
      Histogram h = seconds.getOrDefault(k, new Histogram());
      rows.add(new StepCounts(parts[0], parts[1], parts[2], c[REACHED], c[LEFT], c[SUBMITTED], c[STALLED], h.total(),
          h.quantile(0.5), h.quantile(0.9)));
    }
    return rows;
  }

  /** Counts by config, route and occur date: key parts and count. */
  public Map<List<String>, Long> alerts() {
    return split(alerts);
  }

  /** Counts by config, route, reason and date. */
  public Map<List<String>, Long> suppressed() {
    return split(suppressed);
  }

  /** One comparison row: stall day, route, and the counts of {@link #compare}. */
  public record Comparison(
      String day, String route, long current, long other, long onlyCurrent, long onlyOther, long both,
      Long medianShiftSeconds, Double meanShiftSeconds) {}

  /** The comparison, by stall day and route (empty when none was made). */
  public List<Comparison> comparisons() {
    List<Comparison> rows = new ArrayList<>();
    new TreeMap<>(compare).forEach((k, c) -> {
      String[] parts = k.split(String.valueOf(SEP), -1);
      Histogram h = shifts.getOrDefault(k, new Histogram());
      rows.add(new Comparison(parts[0], parts[1], c[0], c[1], c[2], c[3], c[4], h.quantile(0.5),
          c[4] == 0 ? null : h.sum() / c[4]));
    });
    return rows;
  }

  /** The whole-report counts by name. */
  public Map<String, Long> totals() {
    return new TreeMap<>(totals);
  }

  private static Map<List<String>, Long> split(Map<String, Long> m) {
    Map<List<String>, Long> out = new HashMap<>();
    m.forEach((k, v) -> out.put(List.of(k.split(String.valueOf(SEP), -1)), v));
    return out;
  }

  // ------------------------------------------------------------------ its coder

  /**
   * The tally in a compact binary form: keys as UTF-8, counts as variable-length numbers. Java
   * serialization of a tally's thousands of keys and histograms cost more than the pass itself on
   * the direct runner, which encodes every tally between the steps.
   */
  public static final class TallyCoder extends org.apache.beam.sdk.coders.AtomicCoder<FunnelTally> {
    private static final TallyCoder INSTANCE = new TallyCoder();

    public static TallyCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FunnelTally t, java.io.OutputStream out) throws java.io.IOException {
      java.io.DataOutputStream data = new java.io.DataOutputStream(out);
      writeArrays(t.steps, data);
      writeHistograms(t.seconds, data);
      writeCounts(t.alerts, data);
      writeCounts(t.suppressed, data);
      writeArrays(t.compare, data);
      writeHistograms(t.shifts, data);
      writeCounts(t.totals, data);
      data.flush();
    }

    @Override
    public FunnelTally decode(java.io.InputStream in) throws java.io.IOException {
      java.io.DataInputStream data = new java.io.DataInputStream(in);
      FunnelTally t = new FunnelTally();
      readArrays(t.steps, data);
      readHistograms(t.seconds, data);
      readCounts(t.alerts, data);
      readCounts(t.suppressed, data);
      readArrays(t.compare, data);
      readHistograms(t.shifts, data);
      readCounts(t.totals, data);
      return t;
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "a tally's maps are written in hash order");
    }

    private static void writeLong(long v, java.io.DataOutputStream out) throws java.io.IOException {
      org.apache.beam.sdk.util.VarInt.encode((v << 1) ^ (v >> 63), out);
    }

    private static long readLong(java.io.DataInputStream in) throws java.io.IOException {
      long z = org.apache.beam.sdk.util.VarInt.decodeLong(in);
      return (z >>> 1) ^ -(z & 1);
    }

    private static void writeArrays(Map<String, long[]> m, java.io.DataOutputStream out) throws java.io.IOException {
      org.apache.beam.sdk.util.VarInt.encode(m.size(), out);
      for (Map.Entry<String, long[]> e : m.entrySet()) {
        out.writeUTF(e.getKey());
        org.apache.beam.sdk.util.VarInt.encode(e.getValue().length, out);
        for (long v : e.getValue()) {
          writeLong(v, out);
        }
      }
    }

    private static void readArrays(Map<String, long[]> m, java.io.DataInputStream in) throws java.io.IOException {
      int n = org.apache.beam.sdk.util.VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        String key = in.readUTF();
        long[] values = new long[org.apache.beam.sdk.util.VarInt.decodeInt(in)];
        for (int j = 0; j < values.length; j++) {
          values[j] = readLong(in);
        }
        m.put(key, values);
      }
    }

    private static void writeCounts(Map<String, Long> m, java.io.DataOutputStream out) throws java.io.IOException {
      org.apache.beam.sdk.util.VarInt.encode(m.size(), out);
      for (Map.Entry<String, Long> e : m.entrySet()) {
        out.writeUTF(e.getKey());
        writeLong(e.getValue(), out);
      }
    }

    private static void readCounts(Map<String, Long> m, java.io.DataInputStream in) throws java.io.IOException {
      int n = org.apache.beam.sdk.util.VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        String key = in.readUTF();
        m.put(key, readLong(in));
      }
    }

    private static void writeHistograms(Map<String, Histogram> m, java.io.DataOutputStream out) throws java.io.IOException {
      org.apache.beam.sdk.util.VarInt.encode(m.size(), out);
      for (Map.Entry<String, Histogram> e : m.entrySet()) {
        out.writeUTF(e.getKey());
        Histogram h = e.getValue();
        org.apache.beam.sdk.util.VarInt.encode(h.size(), out);
        java.io.IOException[] failed = new java.io.IOException[1];
        h.forEach((value, count) -> {
          try {
            writeLong(value, out);
            writeLong(count, out);
          } catch (java.io.IOException x) {
            failed[0] = x;
          }
        });
        if (failed[0] != null) {
          throw failed[0];
        }
      }
    }

    private static void readHistograms(Map<String, Histogram> m, java.io.DataInputStream in) throws java.io.IOException {
      int n = org.apache.beam.sdk.util.VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        String key = in.readUTF();
        Histogram h = new Histogram();
        int entries = org.apache.beam.sdk.util.VarInt.decodeInt(in);
        for (int j = 0; j < entries; j++) {
          long value = readLong(in);
          h.add(value, readLong(in));
        }
        m.put(key, h);
      }
    }
  }
}
