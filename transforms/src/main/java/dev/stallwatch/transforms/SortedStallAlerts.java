package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * {@link StallAlerts} for a finite input (a backfill), with one grouping instead of the session
 * windows' and the once-per-period state's: events gathered by a bucket of mobiles, grouped, and each
 * bucket decided in one pass ({@link BucketPass}: per applicant in SPEC order, duplicates, stalls,
 * routes, the earliest alert per slot, channel names). A mobile's applicants all fall in its
 * bucket, so nothing needs a second grouping. The blacklist and the channel names travel with the
 * function, not as side inputs: a backfill reads them once before it starts.
 *
 * <p>Only for bounded input in the global window: with no watermark to wait for, every run of an
 * applicant is known when its bucket is. The streaming job keeps {@link StallAlerts}; both are
 * held to the reference model by the same tests. Its counters are {@link StallAlerts}'s.
 */
public final class SortedStallAlerts extends PTransform<PCollection<Event>, PCollection<Alert>> {
  private final StallConfig config;
  private final Blacklist blacklist;
  private final ChannelNames channels;
  private final int keyBuckets;

  private SortedStallAlerts(StallConfig config, Blacklist blacklist, ChannelNames channels, int keyBuckets) {
    this.config = config;
    this.blacklist = blacklist;
    this.channels = channels;
    this.keyBuckets = KeyBuckets.check(keyBuckets);
  }

  public static SortedStallAlerts of(StallConfig config) {
    return new SortedStallAlerts(config, Blacklist.empty(), ChannelNames.empty(), KeyBuckets.DEFAULT);
  }

  public SortedStallAlerts withBlacklist(Blacklist b) {
    return new SortedStallAlerts(config, b, channels, keyBuckets);
  }

  public SortedStallAlerts withChannels(ChannelNames c) {
    return new SortedStallAlerts(config, blacklist, c, keyBuckets);
  }

  /** Spreads mobiles over {@code buckets} grouping keys (default {@value KeyBuckets#DEFAULT}). */
  public SortedStallAlerts withKeyBuckets(int buckets) {
    return new SortedStallAlerts(config, blacklist, channels, buckets);
  }

  /**
   * The same pass over the backfill's single stream: events in, alerts out, and dead letters
   * carried through the grouping under a bucket of their origin, so that the graph from the reader
   * to the writer is one line of steps (see {@link StallRecord}). Other records pass unchanged.
   */
  public PTransform<PCollection<StallRecord>, PCollection<StallRecord>> onRecords() {
    SortedStallAlerts pass = this;
    return new PTransform<>() {
      @Override
      public PCollection<StallRecord> expand(PCollection<StallRecord> records) {
        return pass.decide(records);
      }
    };
  }

  @Override
  public PCollection<Alert> expand(PCollection<Event> events) {
    return decide(
            events
                .apply("AsRecords", MapElements.into(TypeDescriptor.of(StallRecord.class)).via(StallRecord::of))
                .setCoder(StallRecord.StallRecordCoder.of()))
        .apply(
            "Alerts",
            FlatMapElements.into(TypeDescriptor.of(Alert.class))
                .via((StallRecord r) -> r.kind() == StallRecord.Kind.ALERT ? List.of(r.alert()) : List.of()))
        .setCoder(Alert.AlertCoder.of());
  }

  private PCollection<StallRecord> decide(PCollection<StallRecord> records) {
    if (records.isBounded() != PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException("SortedStallAlerts needs a bounded input; a stream takes StallAlerts");
    }
    if (!(records.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("SortedStallAlerts needs its input in the global window");
    }
    return records
        .apply("GatherByMobileBucket", ParDo.of(new GatherFn(keyBuckets, GATHERED)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(StallRecord.StallRecordCoder.of())))
        .apply("ByMobileBucket", GroupByKey.create())
        .apply("DecideBucket", ParDo.of(new DecideFn(config, blacklist, channels)))
        .setCoder(StallRecord.StallRecordCoder.of());
  }

  /**
   * Records a gathering step holds before it hands them on, grouped by bucket: the grouping then
   * sorts and moves one list per bucket and batch instead of one element per row (with 1,024
   * buckets, about 50 records a list), for a few megabytes of memory per task.
   */
  static final int GATHERED = 50_000;

  /**
   * Keys each record by its bucket and hands on, per bucket, the records of the last {@code limit}
   * (and the rest at the end of a bundle), so that the grouping after it has far fewer elements to
   * sort. Which records share a list changes nothing: the grouping joins a bucket's lists.
   */
  static final class GatherFn extends DoFn<StallRecord, KV<Integer, List<StallRecord>>> {
    private final int buckets;
    private final int limit;
    private transient Map<Integer, List<StallRecord>> held;
    private transient int count;

    GatherFn(int buckets, int limit) {
      this.buckets = buckets;
      this.limit = limit;
    }

    @StartBundle
    public void start() {
      held = new HashMap<>();
      count = 0;
    }

    @ProcessElement
    public void process(@Element StallRecord r, OutputReceiver<KV<Integer, List<StallRecord>>> out) {
      held.computeIfAbsent(KeyBuckets.of(bucketKey(r), buckets), b -> new ArrayList<>()).add(r);
      if (++count >= limit) {
        for (Map.Entry<Integer, List<StallRecord>> e : held.entrySet()) {
          out.output(KV.of(e.getKey(), e.getValue()));
        }
        held = new HashMap<>();
        count = 0;
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      for (Map.Entry<Integer, List<StallRecord>> e : held.entrySet()) {
        c.output(KV.of(e.getKey(), e.getValue()), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      held = new HashMap<>();
      count = 0;
    }
  }

  /** An event's mobile (a mobile's applicants meet in one bucket); any other record's own text. */
  private static String bucketKey(StallRecord r) {
    return switch (r.kind()) {
      case EVENT -> r.event().mobile();
      case DEAD_LETTER -> r.deadLetter().origin();
      case ALERT -> r.alert().toString();
      case ROW -> r.row().origin();
    };
  }

  /** A bucket's events, from its gathered lists; every other record is handed to {@code others}. */
  static List<Event> eventsOf(Iterable<List<StallRecord>> bucket, java.util.function.Consumer<StallRecord> others) {
    List<Event> events = new ArrayList<>();
    for (List<StallRecord> gathered : bucket) {
      for (StallRecord r : gathered) {
        if (r.kind() == StallRecord.Kind.EVENT) {
          events.add(r.event());
        } else {
          others.accept(r);
        }
      }
    }
    return events;
  }

  private static final class DecideFn extends DoFn<KV<Integer, Iterable<List<StallRecord>>>, StallRecord> {
    private final StallConfig config;
    private final Blacklist blacklist;
    private final ChannelNames channels;
    private transient BucketPass pass;
    private transient Counter duplicates;
    private transient Counter stalls;

    DecideFn(StallConfig config, Blacklist blacklist, ChannelNames channels) {
      this.config = config;
      this.blacklist = blacklist;
      this.channels = channels;
    }

    @Setup
    public void setup() {
      pass = new BucketPass(config, blacklist, channels);
      duplicates = StallMetrics.counter(StallMetrics.DUPLICATES);
      stalls = StallMetrics.counter(StallMetrics.STALLS);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<List<StallRecord>>> bucket, OutputReceiver<StallRecord> out) {
      List<Event> events = eventsOf(bucket.getValue(), out::output);
      if (events.isEmpty()) {
        return;
      }
      BucketPass.Counts counts = new BucketPass.Counts();
      for (Alert a : pass.run(events, counts)) {
        out.output(StallRecord.of(a));
      }
      duplicates.inc(counts.duplicates);
      stalls.inc(counts.stalls);
      counts.stallsAt.forEach((stepClass, n) -> StallMetrics.stallsAt(stepClass).inc(n));
      for (Route route : config.routes()) {
        inc(StallMetrics.ALERTS, route, counts.alerts);
        inc(StallMetrics.SUPPRESSED_BLACKLIST, route, counts.blacklisted);
        inc(StallMetrics.SUPPRESSED_SEND_WINDOW, route, counts.outsideWindow);
        inc(StallMetrics.SUPPRESSED_ONCE_PER_PERIOD, route, counts.oncePerPeriod);
      }
    }

    private static void inc(String prefix, Route route, Map<String, Long> counts) {
      Long n = counts.get(route.name());
      if (n != null) {
        StallMetrics.perRoute(prefix, route.name()).inc(n);
      }
    }
  }
}
