package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.Stall;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.report.FunnelTally;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The funnel report of a finite input: the batch engine's pass ({@link SortedStallAlerts}: the
 * same gathering, grouping by mobile bucket and {@link BucketPass}, so the same duplicates,
 * stalls, routes and alerts as a backfill) with an observer that counts every applicant's journey,
 * stall, alert and suppressed alert into a {@link FunnelTally}, merged into one for the whole input.
 * With {@link #withComparison} each bucket is also passed under a second config and the two sets of
 * alerts are matched, so both come from one reading and one grouping.
 *
 * <p>Takes the backfill's single stream after parsing ({@link ParseRows#records}: events and dead
 * letters); gives the tally ({@link #tally}) and the dead letters ({@link #deadLetters}).
 */
public final class FunnelReport extends PTransform<PCollection<StallRecord>, PCollectionTuple> {
  private static final TupleTag<StallRecord> DEAD_LETTERS = new TupleTag<StallRecord>("dead-letters") {};
  private static final TupleTag<FunnelTally> TALLIES = new TupleTag<FunnelTally>("tallies") {};
  private static final TupleTag<FunnelTally> TALLY = new TupleTag<FunnelTally>("tally") {};

  private final StallConfig config;
  private final StallConfig other;
  private final Blacklist blacklist;
  private final ChannelNames channels;
  private final int keyBuckets;

  private FunnelReport(StallConfig config, StallConfig other, Blacklist blacklist, ChannelNames channels, int keyBuckets) {
    this.config = config;
    this.other = other;
    this.blacklist = blacklist;
    this.channels = channels;
    this.keyBuckets = KeyBuckets.check(keyBuckets);
    if (other != null && !other.zone().equals(config.zone())) {
      throw new IllegalArgumentException(
          "the compared config's time zone " + other.zoneId() + " is not the current config's " + config.zoneId()
              + ": rows are read once, in one zone");
    }
  }

  public static FunnelReport of(StallConfig config) {
    return new FunnelReport(config, null, Blacklist.empty(), ChannelNames.empty(), KeyBuckets.DEFAULT);
  }

  /** Also passes every bucket under {@code other} and compares the two configs' alerts. */
  public FunnelReport withComparison(StallConfig other) {
    return new FunnelReport(config, other, blacklist, channels, keyBuckets);
  }

  public FunnelReport withBlacklist(Blacklist b) {
    return new FunnelReport(config, other, b, channels, keyBuckets);
  }

  public FunnelReport withChannels(ChannelNames c) {
    return new FunnelReport(config, other, blacklist, c, keyBuckets);
  }

  public FunnelReport withKeyBuckets(int buckets) {
    return new FunnelReport(config, other, blacklist, channels, buckets);
  }

  /** The output of one tally for the whole input. */
  public static TupleTag<FunnelTally> tally() {
    return TALLY;
  }

  /** The output of the dead letters (records of kind DEAD_LETTER), passed through. */
  public static TupleTag<StallRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  public PCollectionTuple expand(PCollection<StallRecord> records) {
    if (records.isBounded() != PCollection.IsBounded.BOUNDED
        || !(records.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("FunnelReport needs a bounded input in the global window");
    }
    PCollectionTuple tallied =
        records
            .apply("GatherByMobileBucket", ParDo.of(new SortedStallAlerts.GatherFn(keyBuckets, SortedStallAlerts.GATHERED)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(StallRecord.StallRecordCoder.of())))
            .apply("ByMobileBucket", GroupByKey.create())
            .apply(
                "TallyBucket",
                ParDo.of(new TallyFn(config, other, blacklist, channels)).withOutputTags(DEAD_LETTERS, TupleTagList.of(TALLIES)));
    PCollection<FunnelTally> tallies = tallied.get(TALLIES).setCoder(FunnelTally.TallyCoder.of());
    PCollection<FunnelTally> tally =
        tallies
            .apply("MergeTallies", Combine.globally(new Merge()))
            .setCoder(FunnelTally.TallyCoder.of());
    return PCollectionTuple.of(TALLY, tally).and(DEAD_LETTERS, tallied.get(DEAD_LETTERS).setCoder(StallRecord.StallRecordCoder.of()));
  }

  /** Merges tallies into one as they come (so a runner combines partial tallies before moving them). */
  private static final class Merge extends Combine.CombineFn<FunnelTally, FunnelTally, FunnelTally> {
    @Override
    public FunnelTally createAccumulator() {
      return new FunnelTally();
    }

    @Override
    public FunnelTally addInput(FunnelTally all, FunnelTally t) {
      return all.merge(t);
    }

    @Override
    public FunnelTally mergeAccumulators(Iterable<FunnelTally> tallies) {
      FunnelTally all = new FunnelTally();
      for (FunnelTally t : tallies) {
        all.merge(t);
      }
      return all;
    }

    @Override
    public FunnelTally extractOutput(FunnelTally all) {
      return all;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<FunnelTally> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<FunnelTally> input) {
      return FunnelTally.TallyCoder.of();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<FunnelTally> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<FunnelTally> input) {
      return FunnelTally.TallyCoder.of();
    }
  }

  /** Passes each bucket (under one or two configs), counting into one tally per bundle. */
  private static final class TallyFn extends DoFn<KV<Integer, Iterable<List<StallRecord>>>, StallRecord> {
    private final StallConfig config;
    private final StallConfig other;
    private final Blacklist blacklist;
    private final ChannelNames channels;
    private transient BucketPass pass;
    private transient BucketPass otherPass;
    private transient FunnelTally tally;

    TallyFn(StallConfig config, StallConfig other, Blacklist blacklist, ChannelNames channels) {
      this.config = config;
      this.other = other;
      this.blacklist = blacklist;
      this.channels = channels;
    }

    @Setup
    public void setup() {
      pass = new BucketPass(config, blacklist, channels);
      otherPass = other == null ? null : new BucketPass(other, blacklist, channels);
    }

    @StartBundle
    public void start() {
      tally = new FunnelTally();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<List<StallRecord>>> bucket, MultiOutputReceiver out) {
      List<Event> events = SortedStallAlerts.eventsOf(bucket.getValue(), r -> {
        tally.count("dead_letters", 1); // after parsing, all that is not an event
        out.get(DEAD_LETTERS).output(r);
      });
      if (events.isEmpty()) {
        return;
      }
      BucketPass.Counts counts = new BucketPass.Counts();
      Counting journeys = new Counting(tally, FunnelTally.CURRENT, config.zone(), true);
      List<Alert> alerts = pass.run(events, counts, journeys);
      journeys.flush();
      tally.count("duplicates", counts.duplicates);
      tally.count("stalls", counts.stalls);
      alerts.forEach(a -> tally.addAlert(FunnelTally.CURRENT, a));
      if (otherPass != null) {
        List<Alert> others =
            otherPass.run(events, new BucketPass.Counts(), new Counting(tally, FunnelTally.OTHER, other.zone(), false));
        others.forEach(a -> tally.addAlert(FunnelTally.OTHER, a));
        tally.compare(alerts, others);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      c.output(TALLIES, tally, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      tally = null;
    }
  }

  /** The observer of one pass: journeys (of the current config only) and suppressed alerts. */
  private static final class Counting implements BucketPass.Observer {
    private final FunnelTally tally;
    private final String config;
    private final ZoneId zone;
    private final boolean journeys;
    private List<Event> journey;
    private BitSet stalls;

    Counting(FunnelTally tally, String config, ZoneId zone, boolean journeys) {
      this.tally = tally;
      this.config = config;
      this.zone = zone;
      this.journeys = journeys;
    }

    @Override
    public void journey(List<Event> counted) {
      flush();
      journey = counted;
      stalls = new BitSet();
    }

    @Override
    public void stall(int index, Stall stall, Rule rule) {
      stalls.set(index);
    }

    @Override
    public void suppressed(String route, BucketPass.Suppression reason, long millis) {
      tally.addSuppressed(config, route, reason.name().toLowerCase(Locale.ROOT), millis, zone);
    }

    /** Adds the journey last given, with its stalls, once they are all known (call after the pass too). */
    void flush() {
      if (journeys && journey != null) {
        tally.addJourney(journey, stalls, zone);
      }
      journey = null;
    }
  }
}
