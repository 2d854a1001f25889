package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.PeriodScope;
import dev.stallwatch.domain.StallConfig;
import java.time.ZoneId;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * At most one alert per route, mobile and period (SPEC §5). Alerts wait, keyed by (route, mobile,
 * period), until the watermark passes their occur time; then the earliest (ties: smaller user id,
 * then request number) is sent and every other one of the period is suppressed and counted. So the
 * choice is the same in streaming and batch, on any runner, whatever order alerts arrive in.
 *
 * <p>State expires by an event-time timer at the end of the period plus the allowed lateness; only
 * the lifetime scope keeps its "sent" mark for good.
 */
public final class OncePerPeriod extends PTransform<PCollection<Alert>, PCollection<Alert>> {
  private final PeriodScope scope;
  private final String zoneId;
  private final Duration allowedLateness;

  private OncePerPeriod(PeriodScope scope, String zoneId, Duration allowedLateness) {
    this.scope = scope;
    this.zoneId = zoneId;
    this.allowedLateness = allowedLateness;
  }

  public static OncePerPeriod of(StallConfig config) {
    return new OncePerPeriod(config.oncePer(), config.zoneId(), config.allowedLateness());
  }

  @Override
  public PCollection<Alert> expand(PCollection<Alert> alerts) {
    PeriodScope scope = this.scope;
    String zoneId = this.zoneId;
    return alerts
        .apply(
            "KeyByRouteMobilePeriod",
            WithKeys.of(
                    (Alert a) ->
                        a.route()
                            + '\u0001'
                            + a.mobile()
                            + '\u0001'
                            + scope.periodOf(a.occurMillis(), ZoneId.of(zoneId)))
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Alert.AlertCoder.of()))
        .apply("KeepEarliest", ParDo.of(new KeepEarliestFn(scope, zoneId, allowedLateness)))
        .setCoder(Alert.AlertCoder.of());
  }

  private static final class KeepEarliestFn extends DoFn<KV<String, Alert>, Alert> {
    private final PeriodScope scope;
    private final String zoneId;
    private final Duration allowedLateness;

    @StateId("best")
    private final StateSpec<ValueState<Alert>> bestSpec = StateSpecs.value(Alert.AlertCoder.of());

    @StateId("sent")
    private final StateSpec<ValueState<Boolean>> sentSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("send")
    private final TimerSpec sendSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    KeepEarliestFn(PeriodScope scope, String zoneId, Duration allowedLateness) {
      this.scope = scope;
      this.zoneId = zoneId;
      this.allowedLateness = allowedLateness;
    }

    private static Counter suppressed(String route) {
      return Metrics.counter(
          StallMetrics.NAMESPACE, StallMetrics.SUPPRESSED_ONCE_PER_PERIOD + route);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Alert> element,
        @StateId("best") ValueState<Alert> best,
        @StateId("sent") ValueState<Boolean> sent,
        @TimerId("send") Timer send) {
      Alert alert = element.getValue();
      if (sent.read() != null) {
        suppressed(alert.route()).inc();
        return;
      }
      Alert current = best.read();
      if (current != null && Alert.EARLIEST_FIRST.compare(current, alert) <= 0) {
        suppressed(alert.route()).inc();
        return;
      }
      if (current != null) {
        suppressed(current.route()).inc();
      }
      best.write(alert);
      send.set(new Instant(alert.occurMillis()));
    }

    @OnTimer("send")
    public void onSend(
        @StateId("best") ValueState<Alert> best,
        @StateId("sent") ValueState<Boolean> sent,
        @TimerId("expiry") Timer expiry,
        OutputReceiver<Alert> out) {
      Alert alert = best.read();
      if (alert == null) {
        return;
      }
      out.output(alert);
      best.clear();
      sent.write(true);
      long end = scope.periodEnd(alert.occurMillis(), ZoneId.of(zoneId));
      if (end != Long.MAX_VALUE) {
        expiry.set(new Instant(end).plus(allowedLateness));
      }
    }

    @OnTimer("expiry")
    public void onExpiry(
        @StateId("best") ValueState<Alert> best, @StateId("sent") ValueState<Boolean> sent) {
      best.clear();
      sent.clear();
    }
  }
}
