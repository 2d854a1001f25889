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
import org.joda.time.Duration;

/**
 * SPEC.md from parsed rows to alerts: drop exact duplicates, classify, find stalls with session
 * windows, offer them to the routes (blacklist, send window), keep one per route, mobile and
 * period, and name the channel.
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

  private StallAlerts(
      StallConfig config,
      PCollectionView<Blacklist> blacklist,
      PCollectionView<ChannelNames> channels) {
    this.config = config;
    this.blacklist = blacklist;
    this.channels = channels;
  }

  public static StallAlerts of(StallConfig config) {
    return new StallAlerts(config, null, null);
  }

  public StallAlerts withBlacklist(PCollectionView<Blacklist> view) {
    return new StallAlerts(config, view, channels);
  }

  public StallAlerts withChannels(PCollectionView<ChannelNames> view) {
    return new StallAlerts(config, blacklist, view);
  }

  /**
   * How long a row is remembered to recognise its duplicates: long enough to cover every row that
   * can still change a session (the longest gap plus the allowed lateness).
   */
  static Duration duplicateRetention(StallConfig config) {
    return config.maxGap().plus(config.allowedLateness());
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
        .apply("RemoveDuplicates", RemoveDuplicates.withRetention(duplicateRetention(config)))
        .apply("Classify", Classify.with(config.catalog()))
        .apply(
            "DetectStalls",
            DetectStalls.forRules(config.rules()).withAllowedLateness(config.allowedLateness()))
        .apply("OfferToRoutes", OfferToRoutes.of(config, blacklistView))
        .apply("OncePerPeriod", OncePerPeriod.of(config))
        .apply("EnrichChannels", EnrichChannels.of(config, channelsView));
  }
}
