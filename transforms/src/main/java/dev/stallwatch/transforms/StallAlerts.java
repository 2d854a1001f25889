package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.StallConfig;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * SPEC.md from parsed rows to alerts: classify, find stalls with session windows (counting exact
 * duplicates on the way), offer them to the routes (blacklist, send window), keep one per route,
 * mobile and period, and name the channel.
 *
 * <pre>{@code
 * PCollection<Alert> alerts =
 *     events.apply("StallAlerts",
 *         StallAlerts.of(config).withBlacklist(blacklistView).withChannels(channelsView));
 * }</pre>
 *
 * Without a blacklist or channel view, the blacklist is empty and every channel name is empty.
 */
public final class StallAlerts extends PTransform<PCollection<Event>, PCollection<Alert>> {
  private final StallConfig config;
  private final PCollectionView<Blacklist> blacklist;
  private final PCollectionView<ChannelNames> channels;
  private final int keyBuckets;

  private StallAlerts(
      StallConfig config,
      PCollectionView<Blacklist> blacklist,
      PCollectionView<ChannelNames> channels,
      int keyBuckets) {
    this.config = config;
    this.blacklist = blacklist;
    this.channels = channels;
    this.keyBuckets = KeyBuckets.check(keyBuckets);
  }

  public static StallAlerts of(StallConfig config) {
    return new StallAlerts(config, null, null, KeyBuckets.DEFAULT);
  }

  public StallAlerts withBlacklist(PCollectionView<Blacklist> view) {
    return new StallAlerts(config, view, channels, keyBuckets);
  }

  public StallAlerts withChannels(PCollectionView<ChannelNames> view) {
    return new StallAlerts(config, blacklist, view, keyBuckets);
  }

  /**
   * Spreads applicants and mobiles over {@code buckets} grouping keys (default {@value
   * KeyBuckets#DEFAULT}); state is kept per bucket, so a restored job must keep the number.
   */
  public StallAlerts withKeyBuckets(int buckets) {
    return new StallAlerts(config, blacklist, channels, buckets);
  }

  @Override
  public PCollection<Alert> expand(PCollection<Event> events) {
    PCollectionView<Blacklist> blacklistView =
        blacklist != null
            ? blacklist
            : events
                .getPipeline()
                .apply("NoBlacklist", Create.of(Blacklist.empty()))
                .apply("NoBlacklistView", View.asSingleton());
    PCollectionView<ChannelNames> channelsView =
        channels != null
            ? channels
            : events
                .getPipeline()
                .apply("NoChannels", Create.of(ChannelNames.empty()))
                .apply("NoChannelsView", View.asSingleton());
    return events
        .apply("Classify", Classify.with(config.catalog()))
        .apply(
            "DetectStalls",
            DetectStalls.forRules(config.rules())
                .withAllowedLateness(config.allowedLateness())
                .withKeyBuckets(keyBuckets))
        .apply("OfferToRoutes", OfferToRoutes.of(config, blacklistView))
        .apply("OncePerPeriod", OncePerPeriod.of(config).withKeyBuckets(keyBuckets))
        .apply("EnrichChannels", EnrichChannels.of(config, channelsView));
  }
}
