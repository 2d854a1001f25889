package dev.stallwatch.pipeline.stall;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.transforms.ParseRows;
import dev.stallwatch.transforms.SortedStallAlerts;
import dev.stallwatch.transforms.StallAlerts;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The stall family's graph: raw rows in, alerts and dead letters out — the same for a backfill (SPEC §6)
 * and for the streaming job. {@link #build} takes the pipeline and its rows, so tests give it a
 * {@code Create} or {@code TestStream} where production reads files or Kafka.
 */
public final class StallGraph {
  private StallGraph() {}

  /** The two outputs of the graph. */
  public static final class Outputs {
    private final PCollection<Alert> alerts;
    private final PCollection<BadRecord> deadLetters;

    public Outputs(PCollection<Alert> alerts, PCollection<BadRecord> deadLetters) {
      this.alerts = alerts;
      this.deadLetters = deadLetters;
    }

    public PCollection<Alert> alerts() {
      return alerts;
    }

    public PCollection<BadRecord> deadLetters() {
      return deadLetters;
    }
  }

  /** The side inputs of the graph: blacklist and channel names, fixed or refreshed. */
  public static final class Dimensions {
    private final PCollectionView<Blacklist> blacklist;
    private final PCollectionView<ChannelNames> channels;

    public Dimensions(PCollectionView<Blacklist> blacklist, PCollectionView<ChannelNames> channels) {
      this.blacklist = blacklist;
      this.channels = channels;
    }

    /** Dimensions read once before the job starts (a backfill, or files given to a streaming job). */
    public static Dimensions fixed(Pipeline pipeline, Blacklist blacklist, ChannelNames channels) {
      return new Dimensions(
          pipeline
              .apply("Blacklist", Create.of(blacklist).withCoder(Blacklist.BlacklistCoder.of()))
              .apply("BlacklistView", View.asSingleton()),
          pipeline
              .apply("Channels", Create.of(channels).withCoder(ChannelNames.ChannelNamesCoder.of()))
              .apply("ChannelsView", View.asSingleton()));
    }
  }

  /** Parses {@code rows} and computes their alerts under {@code config}. */
  public static Outputs build(
      Pipeline pipeline,
      PCollection<RawRow> rows,
      StallConfig config,
      Blacklist blacklist,
      ChannelNames channels,
      int keyBuckets) {
    return build(rows, config, Dimensions.fixed(pipeline, blacklist, channels), keyBuckets);
  }

  /**
   * The batch engine over the backfill's one stream ({@link StallRecord}): rows parsed, events
   * grouped by mobile bucket and decided ({@link SortedStallAlerts}, the dimensions carried by its
   * function); out come alerts and every dead letter, of parsing and of reading.
   */
  public static PCollection<StallRecord> buildSorted(
      PCollection<StallRecord> records, StallConfig config, Blacklist blacklist, ChannelNames channels, int keyBuckets) {
    return records
        .apply("ParseRows", ParseRows.records(config.zone()))
        .apply(
            "SortedStallAlerts",
            SortedStallAlerts.of(config)
                .withBlacklist(blacklist)
                .withChannels(channels)
                .withKeyBuckets(keyBuckets)
                .onRecords());
  }

  /** Parses {@code rows} and computes their alerts under {@code config} with these side inputs. */
  public static Outputs build(
      PCollection<RawRow> rows, StallConfig config, Dimensions dimensions, int keyBuckets) {
    PCollectionTuple parsed = rows.apply("ParseRows", ParseRows.inZone(config.zone()));
    PCollection<Alert> alerts =
        parsed
            .get(ParseRows.events())
            .apply(
                "StallAlerts",
                StallAlerts.of(config)
                    .withBlacklist(dimensions.blacklist)
                    .withChannels(dimensions.channels)
                    .withKeyBuckets(keyBuckets));
    return new Outputs(alerts, parsed.get(ParseRows.deadLetters()));
  }
}
