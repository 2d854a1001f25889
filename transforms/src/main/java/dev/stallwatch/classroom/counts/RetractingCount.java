package dev.stallwatch.classroom.counts;

import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Counts that move both ways (CLASSROOM.md C6 and C7): from each entity's successive states
 * ({@link CountUpdate}: the group it now counts in, or none) to each group's count after every
 * change ({@link GroupCount}), a count going down when an entity leaves its group.
 *
 * <p>Why a composite of its own. Beam has no retracting aggregation: a {@code Count.perKey} or a
 * {@code Combine} over windows only ever adds elements, and a late pane re-counts the whole window
 * without knowing which earlier element an update replaces. The article's Flink SQL relied on the
 * table runtime's retractions; the naive ports of it on Beam get three things wrong, which this
 * transform is built to get right:
 *
 * <ul>
 *   <li><b>Counting an entity twice</b> when it changes group (a student's channel, so its level,
 *       changes): adding the new state without removing the old counts the student in both. Here
 *       the old group gets −1 when the new one gets +1.
 *   <li><b>Never decrementing</b> when an entity stops counting (a user row no longer {@code
 *       NORMAL}, an order cancelled or refunded, a delete): here the state with no group ({@code
 *       group == null}) removes it from its group, and a group whose count reaches 0 emits 0, so a
 *       sink that upserts by group overwrites its last count with 0.
 *   <li><b>An old update overwriting a new one</b>: a replayed or reordered row (Kafka partitions,
 *       a retried source, a dump read out of order) applied last wins in a "last value by arrival"
 *       port. Here the latest state is the largest {@code (version, arrival)} (the row's update
 *       time, then its offset or line number), whatever order the updates come in; an update not
 *       newer than the one kept — an older row, or the same row again — changes nothing.
 * </ul>
 *
 * <p>So each group's last count is a function of the updates alone: for each id the latest
 * update's group counts it, whatever the order of arrival, in batch and in streaming ({@link
 * RetractingCountModel} states it in plain Java). Intermediate counts depend on the order (they are
 * the counts of the updates seen so far) and a sink must keep the row with the highest revision of
 * each group.
 *
 * <p>How: two stateful {@link DoFn}s in the global window (the input is re-windowed into it here, so
 * any windowing upstream is fine; no trigger is involved, each element is handled as it comes).
 *
 * <ol>
 *   <li><b>Per id</b>: keeps the latest update and the group it counts in. An update not newer than
 *       the kept one is ignored (counter {@code <prefix>superseded}; exact duplicates too). A newer
 *       one whose group differs sends −1 to the old group (if any) and +1 to the new one (if any);
 *       one whose group is the same sends nothing ({@code <prefix>unchanged}; an id's first update
 *       with no group counts here too, from nowhere to nowhere).
 *   <li><b>Per group</b>: keeps the running count and its revision, applies each ±1 and emits
 *       {@code GroupCount(group, count, ++revision)}. In a consistent input a count never goes
 *       below 0. If a −1 ever does take it below — an id's −1 overtaking the +1 it undoes on the
 *       way between the stages (Beam does not promise order across a shuffle, though Flink's keyed
 *       exchange keeps it between two subtasks), or a group's state expired before an id's — the
 *       arithmetic value is still emitted, not clamped, and counted {@code <prefix>negative}:
 *       clamping would leave the count one too high once the overtaken +1 arrives, whereas the
 *       arithmetic value ends right once all deltas are in (the sum of an id's deltas is +1 in the
 *       group of its latest update, whatever their order).
 * </ol>
 *
 * <p>Output elements are in the global window, stamped with the timestamp of the update that caused
 * them.
 *
 * <p><b>Expiry.</b> An id's state is dropped when the watermark passes the largest {@code
 * expiresAt} its updates carried (superseded ones too); a group's when it passes the largest of
 * the ids' expiries it got a ±1 from, or was counting while their expiry grew (a change of 0 that
 * emits nothing), so a group lives at least as long as every id counted in it. After that the id
 * is unknown: a later update of it counts +1 in its group without a −1 in the old one, and a later
 * delta to an expired group starts it again from 0 at revision 1 — which a sink keeping the highest revision would ignore.
 * So {@code expiresAt} must be a time after which no update of the entity, and none to its group,
 * is expected: for C6 and C7, the end of the hour or day the entity counts in plus as long as the
 * job promises to correct that hour or day. An update whose {@code expiresAt} the watermark has
 * already passed still counts, and its state is dropped at the next watermark. {@link
 * Long#MAX_VALUE} (or anything past the end of the global window) keeps the state for ever: then
 * state grows with the number of ids and groups.
 *
 * <p>Metrics, namespace {@value ClassroomMetrics#NAMESPACE}: {@code <prefix>updates} (all input),
 * {@code <prefix>superseded}, {@code <prefix>unchanged}, {@code <prefix>decrements} (−1s sent),
 * {@code <prefix>reached_zero} (rows with count 0), {@code <prefix>negative} (rows below 0).
 *
 * <pre>{@code
 * PCollection<CountUpdate> updates = ...; // one per row: id, group or null, update time, offset, expiry
 * PCollection<GroupCount> counts = updates.apply("Leads", RetractingCount.create("c6_"));
 * // upsert counts by group, keeping the highest revision
 * }</pre>
 */
public final class RetractingCount extends PTransform<PCollection<CountUpdate>, PCollection<GroupCount>> {
  private final String metricPrefix;
  private final boolean retract;

  private RetractingCount(String metricPrefix, boolean retract) {
    this.metricPrefix = metricPrefix;
    this.retract = retract;
  }

  /** The composite, its counters named {@code metricPrefix + "updates"} and so on. */
  public static RetractingCount create(String metricPrefix) {
    return new RetractingCount(metricPrefix, true);
  }

  /**
   * A broken variant that never sends the −1 (the naive port), for the tests that show the property
   * tests catch it. Not for pipelines.
   */
  RetractingCount withoutRetractionForTesting() {
    return new RetractingCount(metricPrefix, false);
  }

  @Override
  public PCollection<GroupCount> expand(PCollection<CountUpdate> updates) {
    return updates
        .apply(
            "GlobalWindow",
            Window.<CountUpdate>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("KeyById", WithKeys.of(CountUpdate::id).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CountUpdate.CountUpdateCoder.of()))
        .apply("LatestPerId", ParDo.of(new LatestFn(metricPrefix, retract)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DeltaCoder.INSTANCE))
        .apply("CountPerGroup", ParDo.of(new CountFn(metricPrefix)))
        .setCoder(GroupCount.GroupCountCoder.of());
  }

  /** The latest event time a timer in the global window may be set for. */
  private static final long LAST_TIMER = GlobalWindow.INSTANCE.maxTimestamp().getMillis();

  /** The timer time for {@code expiresAt}, or none (state kept until the window ends). */
  private static void expireAt(Timer timer, long expiresAt) {
    if (expiresAt < LAST_TIMER) {
      timer.set(new Instant(Math.max(expiresAt, BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis())));
    } else {
      timer.clear(); // an earlier, shorter expiry no longer holds
    }
  }

  /**
   * A change of one group's count (+1, −1, or 0: only a longer life), and the expiry of the id that
   * sent it: the largest {@code expiresAt} of its updates.
   */
  record Delta(long change, long expiresAt) implements Serializable {}

  /** Coder of {@link Delta}. */
  static final class DeltaCoder extends AtomicCoder<Delta> {
    static final DeltaCoder INSTANCE = new DeltaCoder();

    @Override
    public void encode(Delta d, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(d.change);
      f.putLong(d.expiresAt);
      f.writeTo(out);
    }

    @Override
    public Delta decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new Delta(f.getLong(), f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Stage 1, per id: the latest update wins; a change of group sends −1 and +1. */
  private static final class LatestFn extends DoFn<KV<String, CountUpdate>, KV<String, Delta>> {
    private final Counter updates;
    private final Counter superseded;
    private final Counter unchanged;
    private final Counter decrements;
    private final boolean retract;

    /** The latest update of the id: its (version, arrival) and the group it counts in. */
    @StateId("latest")
    private final StateSpec<ValueState<CountUpdate>> latestSpec = StateSpecs.value(CountUpdate.CountUpdateCoder.of());

    /** The largest expiresAt of the id's updates, superseded ones too: the expiry timer's time. */
    @StateId("expiry")
    private final StateSpec<ValueState<Long>> expirySpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    LatestFn(String prefix, boolean retract) {
      this.updates = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "updates");
      this.superseded = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "superseded");
      this.unchanged = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "unchanged");
      this.decrements = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "decrements");
      this.retract = retract;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CountUpdate> element,
        @StateId("latest") ValueState<CountUpdate> latest,
        @StateId("expiry") ValueState<Long> expiry,
        @TimerId("expire") Timer expire,
        OutputReceiver<KV<String, Delta>> out) {
      CountUpdate u = element.getValue();
      updates.inc();
      Long stored = expiry.read();
      boolean longer = stored == null || u.expiresAt() > stored;
      long expiresAt = longer ? u.expiresAt() : stored;
      if (longer) {
        expiry.write(expiresAt);
        expireAt(expire, expiresAt);
      }
      CountUpdate kept = latest.read();
      if (kept != null && !u.isNewerThan(kept)) {
        superseded.inc();
        extend(kept.group(), longer, expiresAt, out);
        return;
      }
      latest.write(u);
      String old = kept == null ? null : kept.group();
      if (java.util.Objects.equals(old, u.group())) {
        unchanged.inc();
        extend(old, longer, expiresAt, out);
        return;
      }
      if (old != null && retract) {
        decrements.inc();
        out.output(KV.of(old, new Delta(-1, expiresAt)));
      }
      if (u.group() != null) {
        out.output(KV.of(u.group(), new Delta(1, expiresAt)));
      }
    }

    /** The id lives longer: so must the group it counts in, or its count would be forgotten first. */
    private static void extend(String group, boolean longer, long expiresAt, OutputReceiver<KV<String, Delta>> out) {
      if (longer && group != null) {
        out.output(KV.of(group, new Delta(0, expiresAt)));
      }
    }

    @OnTimer("expire")
    public void onExpire(@StateId("latest") ValueState<CountUpdate> latest, @StateId("expiry") ValueState<Long> expiry) {
      latest.clear();
      expiry.clear();
    }
  }

  /** Stage 2, per group: the running count, emitted with its revision after each change. */
  private static final class CountFn extends DoFn<KV<String, Delta>, GroupCount> {
    private final Counter reachedZero;
    private final Counter negative;

    /** The group's count and revision as last emitted. */
    @StateId("count")
    private final StateSpec<ValueState<GroupCount>> countSpec = StateSpecs.value(GroupCount.GroupCountCoder.of());

    /** The largest expiresAt of the deltas the group got: the expiry timer's time. */
    @StateId("expiry")
    private final StateSpec<ValueState<Long>> expirySpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CountFn(String prefix) {
      this.reachedZero = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "reached_zero");
      this.negative = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "negative");
    }

    @ProcessElement
    public void process(
        @Element KV<String, Delta> element,
        @StateId("count") ValueState<GroupCount> state,
        @StateId("expiry") ValueState<Long> expiry,
        @TimerId("expire") Timer expire,
        OutputReceiver<GroupCount> out) {
      Delta d = element.getValue();
      Long expiresAt = expiry.read();
      if (expiresAt == null || d.expiresAt() > expiresAt) {
        expiry.write(d.expiresAt());
        expireAt(expire, d.expiresAt());
      }
      if (d.change() == 0) {
        return; // only a longer life
      }
      GroupCount last = state.read();
      long count = (last == null ? 0 : last.count()) + d.change();
      long revision = (last == null ? 0 : last.revision()) + 1;
      if (count == 0) {
        reachedZero.inc();
      } else if (count < 0) {
        negative.inc();
      }
      GroupCount next = new GroupCount(element.getKey(), count, revision);
      state.write(next);
      out.output(next);
    }

    @OnTimer("expire")
    public void onExpire(@StateId("count") ValueState<GroupCount> state, @StateId("expiry") ValueState<Long> expiry) {
      state.clear();
      expiry.clear();
    }
  }
}
