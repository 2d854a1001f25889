package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.Stall;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Finds stalls (SPEC §4) with Beam session windows: one family of {@link ApplicantSessions} (each
 * applicant's sessions; Beam's {@code Sessions} with the applicant in the window) per distinct rule
 * gap, all families in one grouping so each event is shuffled once; when a session closes, its last
 * event in SPEC order decides. It is a stall when that event
 * is activity of a class whose rule has this family's gap. The grouping key is a bucket of
 * applicants (see {@link ApplicantSessions} for why).
 *
 * <p>Exact duplicates (SPEC §1) need no shuffle of their own: a duplicate is in the same session
 * as its original and cannot change which event is last, so the family with the shortest gap
 * counts them while combining ({@link StallMetrics#DUPLICATES}).
 *
 * <p>Each family sees every event of the applicant — activity of any class, UNKNOWN and terminal
 * rows — so a session ends exactly when nothing followed its last event within the gap. Families
 * are kept apart on purpose: one merging window with per-event gaps would let a 30-minute video
 * step hold a later 8-minute step open.
 *
 * <p>Input events must be classified; output stalls are in the global window, stamped with their
 * deadline. Rows later than {@code allowedLateness} behind the watermark are dropped by the
 * grouping and counted by the runner ({@link StallMetrics#DROPPED_LATE}); rows within it re-fire
 * the session with all its rows (accumulating panes).
 */
public final class DetectStalls extends PTransform<PCollection<Event>, PCollection<Stall>> {
  private final List<Rule> rules;
  private final Duration allowedLateness;
  private final int keyBuckets;

  private DetectStalls(List<Rule> rules, Duration allowedLateness, int keyBuckets) {
    this.rules = List.copyOf(rules);
    this.allowedLateness = allowedLateness;
    this.keyBuckets = KeyBuckets.check(keyBuckets);
  }

  public static DetectStalls forRules(List<Rule> rules) {
    return new DetectStalls(rules, Duration.ZERO, KeyBuckets.DEFAULT);
  }

  /** Lets rows up to {@code lateness} behind the watermark still re-open their session. */
  public DetectStalls withAllowedLateness(Duration lateness) {
    return new DetectStalls(rules, lateness, keyBuckets);
  }

  /** Groups applicants into {@code buckets} keys (default {@value KeyBuckets#DEFAULT}). */
  public DetectStalls withKeyBuckets(int buckets) {
    return new DetectStalls(rules, allowedLateness, buckets);
  }

  @Override
  public PCollection<Stall> expand(PCollection<Event> events) {
    Map<Long, Map<String, Rule>> families = new TreeMap<>();
    for (Rule rule : rules) {
      Map<String, Rule> byClass =
          families.computeIfAbsent(rule.gap().getMillis(), g -> new HashMap<>());
      for (String c : rule.classes()) {
        byClass.put(c, rule);
      }
    }
    int buckets = keyBuckets;
    List<Duration> gaps = families.keySet().stream().map(Duration::millis).toList();
    return events
        .apply(
            "KeyByApplicantBucket",
            WithKeys.of((Event e) -> KeyBuckets.of(e.applicantKey(), buckets))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), Event.EventCoder.of()))
        .apply(
            "Sessions",
            Window.<KV<Integer, Event>>into(ApplicantSessions.withGapDurations(gaps))
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(allowedLateness)
                .accumulatingFiredPanes())
        .apply("LastEvent", Combine.perKey(new SessionTail.Fn()))
        .apply("ToStall", ParDo.of(new ToStallFn(families)))
        .setCoder(Stall.StallCoder.of())
        .apply(
            "Rewindow",
            Window.<Stall>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO));
  }

  private static final class ToStallFn extends DoFn<KV<Integer, SessionTail>, Stall> {
    private final Counter stalls = StallMetrics.counter(StallMetrics.STALLS);
    private final Counter duplicates = StallMetrics.counter(StallMetrics.DUPLICATES);
    private final Map<String, Counter> stallsAt = new java.util.HashMap<>();
    private final Map<Long, Map<String, Rule>> rulesByGap;
    private final long shortestGap;

    ToStallFn(Map<Long, Map<String, Rule>> rulesByGap) {
      this.rulesByGap = rulesByGap;
      this.shortestGap = rulesByGap.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, SessionTail> session,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<Stall> out) {
      long gap = ((ApplicantSessions.Window) window).gap().getMillis();
      if (gap == shortestGap && pane.isFirst()) {
        // One family counts, once per session: later (late) panes repeat the same rows.
        duplicates.inc(session.getValue().duplicates());
      }
      Event last = session.getValue().last;
      Rule rule = rulesByGap.get(gap).get(last.stepClass());
      if (rule == null) {
        return; // terminal, UNKNOWN, or a class of another family's rule
      }
      Stall stall = Stall.of(last, rule);
      stalls.inc();
      stallsAt.computeIfAbsent(last.stepClass(), StallMetrics::stallsAt).inc();
      // The session ends at the last event's time plus the gap: the stall's deadline.
      out.outputWithTimestamp(stall, new Instant(stall.deadlineMillis()));
    }
  }
}
