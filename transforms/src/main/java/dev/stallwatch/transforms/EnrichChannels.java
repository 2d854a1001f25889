package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Fills each alert's {@code channel_name} from the channel dimension side input (empty when the
 * code is unknown) and counts the alerts that leave, per route.
 */
public final class EnrichChannels extends PTransform<PCollection<Alert>, PCollection<Alert>> {
  private final StallConfig config;
  private final PCollectionView<ChannelNames> channels;

  private EnrichChannels(StallConfig config, PCollectionView<ChannelNames> channels) {
    this.config = config;
    this.channels = channels;
  }

  public static EnrichChannels of(StallConfig config, PCollectionView<ChannelNames> channels) {
    return new EnrichChannels(config, channels);
  }

  @Override
  public PCollection<Alert> expand(PCollection<Alert> alerts) {
    return alerts
        .apply("ChannelName", ParDo.of(new EnrichFn(config, channels)).withSideInputs(channels))
        .setCoder(Alert.AlertCoder.of());
  }

  private static final class EnrichFn extends DoFn<Alert, Alert> {
    private final StallConfig config;
    private final PCollectionView<ChannelNames> channelsView;
    private transient Map<String, Counter> alerts;

    EnrichFn(StallConfig config, PCollectionView<ChannelNames> channelsView) {
      this.config = config;
      this.channelsView = channelsView;
    }

    @Setup
    public void setup() {
      alerts = new HashMap<>();
      for (Route route : config.routes()) {
        alerts.put(route.name(), StallMetrics.perRoute(StallMetrics.ALERTS, route.name()));
      }
    }

    @ProcessElement
    public void process(@Element Alert alert, ProcessContext c) {
      ChannelNames names = c.sideInput(channelsView);
      alerts.get(alert.route()).inc();
      c.output(alert.withChannelName(names.nameOf(alert.channelCode())));
    }
  }
}
