package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * C3, classroom performance per minute (CLASSROOM.md C3): counts C1's signals in tumbling
 * one-minute event-time windows per (user, room as {@code webserver_id}, role, event) and emits one
 * {@link SignalCount} row per window and key for the upsert table {@code timeline_signal_analysis}.
 *
 * <pre>{@code
 * PCollectionTuple c3 = signals.apply("ClassroomPerformance", ClassroomPerformance.of(config));
 * PCollection<SignalCount> rows = c3.get(ClassroomPerformance.rows());
 * }</pre>
 *
 * <p>When rows leave. A window's row leaves once the watermark passes the window's end (no
 * early, speculative rows). A signal that arrives after that but within the allowed lateness
 * ({@link SignalsConfig#allowedLateness()}, default 0) fires the window again; panes accumulate,
 * so the new row holds every signal of the window and replaces the old one under the same upsert
 * key. Counts never go down along a key's panes.
 *
 * <p>Late signals are never dropped silently. Beam's grouping drops, and only counts, an element
 * whose window's end plus the allowed lateness is behind the watermark; so that none reaches it,
 * the decision is taken before it, by the convention the stall job uses: the streaming source
 * stamps a record that is too late ({@link SignalsConfig#tooLate}, which is exactly Beam's drop
 * rule applied to the source's own watermark, never behind the grouping's) with its watermark
 * instead of its event time, and a signal stamped later than its event time becomes a {@link
 * #deadLetters() dead letter} {@code late: ...} — in {@link CleanSignals} when C1 and C3 run in one
 * job, in this transform's first step ({@code CheckLate}) when C3 reads C1's topic. A signal
 * stamped at or before its event time is counted, stamped with its event time.
 *
 * <p>Duplicates. CLASSROOM.md has a replay never add a row; a message delivered twice (a
 * producer's retry, an at-least-once hop between C1 and C3) would, counted twice, raise a count
 * instead. A signal is therefore counted once per window however often it arrives: signals are the
 * same when all of C1's output fields are ({@link Signal#identity()}; the record key and origin are
 * transport). A student cannot do the same thing twice in the same millisecond with the same
 * {@code createTime}, so no real signal is lost. The set of identities lives only as long as its
 * window (until the watermark passes its end plus the allowed lateness), so state stays bounded.
 *
 * <p>What it fixes from the article: minutes of event time, not of processing ({@code
 * timeStamp} was {@code NOW()*1000}); {@code create_time} from the data, not {@code
 * CURRENT_TIMESTAMP} (see {@link SignalCount}); late signals updated or dead-lettered, not lost;
 * duplicates counted once.
 */
public final class ClassroomPerformance extends PTransform<PCollection<Signal>, PCollectionTuple> {
  private static final TupleTag<SignalCount> ROWS = new TupleTag<SignalCount>("rows") {};
  private static final TupleTag<Signal> ON_TIME = new TupleTag<Signal>("on-time") {};
  private static final TupleTag<BadRecord> DEAD_LETTERS = new TupleTag<BadRecord>("dead-letters") {};

  private final SignalsConfig config;

  private ClassroomPerformance(SignalsConfig config) {
    this.config = config;
  }

  /** Counts with {@code config}'s allowed lateness, writing local times in its zone. */
  public static ClassroomPerformance of(SignalsConfig config) {
    return new ClassroomPerformance(config);
  }

  public static TupleTag<SignalCount> rows() {
    return ROWS;
  }

  public static TupleTag<BadRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  public PCollectionTuple expand(PCollection<Signal> signals) {
    PCollectionTuple checked =
        signals.apply(
            "CheckLate",
            ParDo.of(new CheckLateFn(config.zoneId())).withOutputTags(ON_TIME, TupleTagList.of(DEAD_LETTERS)));
    checked.get(ON_TIME).setCoder(Signal.SignalCoder.of());
    checked.get(DEAD_LETTERS).setCoder(BadRecord.BadRecordCoder.of());
    PCollection<SignalCount> rows =
        checked
            .get(ON_TIME)
            .apply(
                "KeyBySignalKey",
                MapElements.into(
                        TypeDescriptors.kvs(new TypeDescriptor<SignalCount.Key>() {}, new TypeDescriptor<Signal>() {}))
                    .via((Signal s) -> KV.of(SignalCount.Key.of(s), s)))
            .setCoder(KvCoder.of(SignalCount.KeyCoder.of(), Signal.SignalCoder.of()))
            .apply(
                "Minutes",
                Window.<KV<SignalCount.Key, Signal>>into(FixedWindows.of(SignalsConfig.WINDOW))
                    .triggering(
                        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(config.allowedLateness())
                    .accumulatingFiredPanes())
            .apply("Count", Combine.perKey(new TallyFn()))
            .apply("ToRow", ParDo.of(new ToRowFn(config.zoneId())))
            .setCoder(SignalCount.SignalCountCoder.of());
    return PCollectionTuple.of(ROWS, rows).and(DEAD_LETTERS, checked.get(DEAD_LETTERS));
  }

  private static final class CheckLateFn extends DoFn<Signal, Signal> {
    private final Counter late = ClassroomMetrics.counter(ClassroomMetrics.C3_LATE);
    private final String zoneId;

    CheckLateFn(String zoneId) {
      this.zoneId = zoneId;
    }

    @ProcessElement
    public void process(@Element Signal signal, @Timestamp Instant stamped, MultiOutputReceiver out) {
      if (signal.timeStamp() < stamped.getMillis()) {
        late.inc();
        out.get(DEAD_LETTERS)
            .output(
                BadRecord.of(
                    signal.toJson(),
                    signal.origin(),
                    ClassroomMetrics.lateReason(signal.timeStamp(), stamped.getMillis(), ZoneId.of(zoneId), "signal")));
        return;
      }
      out.get(ON_TIME).outputWithTimestamp(signal, new Instant(signal.timeStamp()));
    }
  }

  /** The distinct signals of one window and key, and the latest event time among them. */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeSet<String> identities = new TreeSet<>();
    long latest = Long.MIN_VALUE;

    void add(String identity, long time) {
      identities.add(identity);
      latest = Math.max(latest, time);
    }
  }

  /** Coder of {@link Tally}: the identities in order, then the latest time. Deterministic. */
  static final class TallyCoder extends AtomicCoder<Tally> {
    @Override
    public void encode(Tally t, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(t.identities.size());
      for (String id : t.identities) {
        f.putString(id);
      }
      f.putLong(t.latest);
      f.writeTo(out);
    }

    @Override
    public Tally decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      Tally t = new Tally();
      long n = f.getLong();
      for (long i = 0; i < n; i++) {
        t.identities.add(f.getString());
      }
      t.latest = f.getLong();
      return t;
    }

    @Override
    public void verifyDeterministic() {}
  }

  private static final class TallyFn extends Combine.CombineFn<Signal, Tally, Tally> {
    @Override
    public Tally createAccumulator() {
      return new Tally();
    }

    @Override
    public Tally addInput(Tally tally, Signal signal) {
      tally.add(signal.identity(), signal.timeStamp());
      return tally;
    }

    @Override
    public Tally mergeAccumulators(Iterable<Tally> tallies) {
      Tally merged = new Tally();
      for (Tally t : tallies) {
        merged.identities.addAll(t.identities);
        merged.latest = Math.max(merged.latest, t.latest);
      }
      return merged;
    }

    @Override
    public Tally extractOutput(Tally tally) {
      return tally;
    }

    @Override
    public Coder<Tally> getAccumulatorCoder(CoderRegistry registry, Coder<Signal> inputCoder) {
      return new TallyCoder();
    }

    @Override
    public Coder<Tally> getDefaultOutputCoder(CoderRegistry registry, Coder<Signal> inputCoder) {
      return new TallyCoder();
    }
  }

  private static final class ToRowFn extends DoFn<KV<SignalCount.Key, Tally>, SignalCount> {
    private final Counter rows = ClassroomMetrics.counter(ClassroomMetrics.C3_ROWS);
    private final String zoneId;

    ToRowFn(String zoneId) {
      this.zoneId = zoneId;
    }

    @ProcessElement
    public void process(
        @Element KV<SignalCount.Key, Tally> counted, BoundedWindow window, OutputReceiver<SignalCount> out) {
      IntervalWindow minute = (IntervalWindow) window;
      SignalCount.Key key = counted.getKey();
      Tally tally = counted.getValue();
      rows.inc();
      out.output(
          new SignalCount(
              minute.start().getMillis(),
              minute.end().getMillis(),
              tally.latest,
              zoneId,
              key.webserverId(),
              key.userId(),
              key.role(),
              key.event(),
              tally.identities.size()));
    }
  }
}
