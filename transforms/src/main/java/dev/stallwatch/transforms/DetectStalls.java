package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.Stall;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Finds stalls (SPEC §4) with Beam session windows: one {@link Sessions} family per distinct rule
 * gap, keyed by applicant; when a session closes, its last event in SPEC order decides. It is a
 * stall when that event is activity of a class whose rule has this family's gap.
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

  private DetectStalls(List<Rule> rules, Duration allowedLateness) {
    this.rules = List.copyOf(rules);
    this.allowedLateness = allowedLateness;
  }

  public static DetectStalls forRules(List<Rule> rules) {
    return new DetectStalls(rules, Duration.ZERO);
  }

  /** Lets rows up to {@code lateness} behind the watermark still re-open their session. */
  public DetectStalls withAllowedLateness(Duration lateness) {
    return new DetectStalls(rules, lateness);
  }

  @Override
  public PCollection<Stall> expand(PCollection<Event> events) {
    Map<Duration, Map<String, Rule>> families = new TreeMap<>();
    for (Rule rule : rules) {
      Map<String, Rule> byClass = families.computeIfAbsent(rule.gap(), g -> new HashMap<>());
      for (String c : rule.classes()) {
        byClass.put(c, rule);
      }
    }
    PCollection<KV<String, Event>> byApplicant =
        events
            .apply(
                "KeyByApplicant",
                WithKeys.of(Event::applicantKey).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Event.EventCoder.of()));

    PCollectionList<Stall> perFamily = PCollectionList.empty(events.getPipeline());
    for (Map.Entry<Duration, Map<String, Rule>> family : families.entrySet()) {
      String name = "Sessions" + family.getKey().getStandardMinutes() + "m";
      perFamily =
          perFamily.and(
              byApplicant.apply(
                  name, new SessionFamily(family.getKey(), family.getValue(), allowedLateness)));
    }
    return perFamily
        .apply("AllFamilies", Flatten.pCollections())
        .setCoder(Stall.StallCoder.of());
  }

  /** The sessions of one gap and the stalls they end in. */
  private static final class SessionFamily
      extends PTransform<PCollection<KV<String, Event>>, PCollection<Stall>> {
    private final Duration gap;
    private final Map<String, Rule> rulesByClass;
    private final Duration allowedLateness;

    SessionFamily(Duration gap, Map<String, Rule> rulesByClass, Duration allowedLateness) {
      this.gap = gap;
      this.rulesByClass = rulesByClass;
      this.allowedLateness = allowedLateness;
    }

    @Override
    public PCollection<Stall> expand(PCollection<KV<String, Event>> byApplicant) {
      return byApplicant
          .apply(
              "Window",
              Window.<KV<String, Event>>into(Sessions.withGapDuration(gap))
                  .triggering(
                      AfterWatermark.pastEndOfWindow()
                          .withLateFirings(AfterPane.elementCountAtLeast(1)))
                  .withAllowedLateness(allowedLateness)
                  .accumulatingFiredPanes())
          .apply("LastEvent", Combine.perKey(new LastEvent()))
          .apply("ToStall", ParDo.of(new ToStallFn(rulesByClass)))
          .setCoder(Stall.StallCoder.of())
          .apply(
              "Rewindow",
              Window.<Stall>into(new GlobalWindows())
                  .triggering(DefaultTrigger.of())
                  .discardingFiredPanes()
                  .withAllowedLateness(Duration.ZERO));
    }
  }

  /** The last of a session's events in SPEC order. */
  static final class LastEvent extends Combine.BinaryCombineFn<Event> {
    @Override
    public Event apply(Event left, Event right) {
      return Event.SPEC_ORDER.compare(left, right) >= 0 ? left : right;
    }
  }

  private static final class ToStallFn extends DoFn<KV<String, Event>, Stall> {
    private final Counter stalls = StallMetrics.counter(StallMetrics.STALLS);
    private final Map<String, Rule> rulesByClass;

    ToStallFn(Map<String, Rule> rulesByClass) {
      this.rulesByClass = rulesByClass;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Event> session, OutputReceiver<Stall> out) {
      Event last = session.getValue();
      Rule rule = rulesByClass.get(last.stepClass());
      if (rule == null) {
        return; // terminal, UNKNOWN, or a class of another family's rule
      }
      Stall stall = Stall.of(last, rule);
      stalls.inc();
      // The session ends at the last event's time plus the gap: the stall's deadline.
      out.outputWithTimestamp(stall, new Instant(stall.deadlineMillis()));
    }
  }
}
