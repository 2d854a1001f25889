package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.Stall;
import dev.stallwatch.domain.StallConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Instant;

/**
 * Offers each stall to every route (SPEC §5): a route that excludes blacklisted customers skips a
 * stall whose {@code id_no} or mobile is in the blacklist side input; the send window drops or
 * defers it; what remains becomes an {@link Alert} stamped with its occur time. Each suppression
 * is counted per route and reason.
 */
public final class OfferToRoutes extends PTransform<PCollection<Stall>, PCollection<Alert>> {
  private final StallConfig config;
  private final PCollectionView<Blacklist> blacklist;

  private OfferToRoutes(StallConfig config, PCollectionView<Blacklist> blacklist) {
    this.config = config;
    this.blacklist = blacklist;
  }

  public static OfferToRoutes of(StallConfig config, PCollectionView<Blacklist> blacklist) {
    return new OfferToRoutes(config, blacklist);
  }

  @Override
  public PCollection<Alert> expand(PCollection<Stall> stalls) {
    return stalls
        .apply("PerRoute", ParDo.of(new OfferFn(config, blacklist)).withSideInputs(blacklist))
        .setCoder(Alert.AlertCoder.of());
  }

  private static final class OfferFn extends DoFn<Stall, Alert> {
    private final StallConfig config;
    private final PCollectionView<Blacklist> blacklistView;
    private transient Map<String, Counter> blacklisted;
    private transient Map<String, Counter> outsideWindow;

    OfferFn(StallConfig config, PCollectionView<Blacklist> blacklistView) {
      this.config = config;
      this.blacklistView = blacklistView;
    }

    @Setup
    public void setup() {
      blacklisted = new HashMap<>();
      outsideWindow = new HashMap<>();
      for (Route route : config.routes()) {
        blacklisted.put(
            route.name(), StallMetrics.perRoute(StallMetrics.SUPPRESSED_BLACKLIST, route.name()));
        outsideWindow.put(
            route.name(), StallMetrics.perRoute(StallMetrics.SUPPRESSED_SEND_WINDOW, route.name()));
      }
    }

    @ProcessElement
    public void process(@Element Stall stall, ProcessContext c) {
      Blacklist blacklist = c.sideInput(blacklistView);
      Rule rule = config.rule(stall.rule());
      boolean listed = blacklist.matches(stall.event());
      long occur = stall.deadlineMillis();
      SendWindow window = config.sendWindow().orElse(null);
      if (window != null) {
        occur = window.apply(occur, config.zone());
      }
      for (Route route : config.routes()) {
        if (route.excludesBlacklisted() && listed) {
          blacklisted.get(route.name()).inc();
          continue;
        }
        if (occur == SendWindow.DROPPED) {
          outsideWindow.get(route.name()).inc();
          continue;
        }
        Alert alert =
            Alert.of(
                stall,
                route,
                rule,
                config.catalog().get(stall.event().stepClass()),
                occur,
                config.zone());
        c.outputWithTimestamp(alert, new Instant(occur));
      }
    }
  }
}
