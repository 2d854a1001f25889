package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.PeriodScope;
import dev.stallwatch.domain.StallConfig;
import java.time.ZoneId;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
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
 * At most one alert per route, mobile and period (SPEC §5). Alerts wait until the watermark passes
 * their occur time; then the earliest of their slot — (route, mobile, period) — leaves (ties:
 * smaller user id, then request number) and every other alert of the slot is suppressed and
 * counted. So the choice is the same in streaming and batch, on any runner, whatever order alerts
 * arrive in.
 *
 * <p>Slots are kept in map state under a bucket of mobiles, with one timer per slot: a timer to
 * send, then one that forgets the slot at the end of its period plus the allowed lateness. Only the
 * lifetime scope remembers a sent slot for good.
 */
public final class OncePerPeriod extends PTransform<PCollection<Alert>, PCollection<Alert>> {
  private final PeriodScope scope;
  private final String zoneId;
  private final Duration allowedLateness;
  private final int keyBuckets;

  private OncePerPeriod(PeriodScope scope, String zoneId, Duration allowedLateness, int keyBuckets) {
    this.scope = scope;
    this.zoneId = zoneId;
    this.allowedLateness = allowedLateness;
    this.keyBuckets = KeyBuckets.check(keyBuckets);
  }

  public static OncePerPeriod of(StallConfig config) {
    return new OncePerPeriod(
        config.oncePer(), config.zoneId(), config.allowedLateness(), KeyBuckets.DEFAULT);
  }

  /** Groups mobiles into {@code buckets} keys (default {@value KeyBuckets#DEFAULT}). */
  public OncePerPeriod withKeyBuckets(int buckets) {
    return new OncePerPeriod(scope, zoneId, allowedLateness, buckets);
  }

  @Override
  public PCollection<Alert> expand(PCollection<Alert> alerts) {
    int buckets = keyBuckets;
    return alerts
        .apply(
            "KeyByMobileBucket",
            WithKeys.of((Alert a) -> KeyBuckets.of(a.mobile(), buckets))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), Alert.AlertCoder.of()))
        .apply("KeepEarliest", ParDo.of(new KeepEarliestFn(scope, zoneId, allowedLateness)))
        .setCoder(Alert.AlertCoder.of());
  }

  private static final class KeepEarliestFn extends DoFn<KV<Integer, Alert>, Alert> {
    private final PeriodScope scope;
    private final String zoneId;
    private final Duration allowedLateness;
    private transient ZoneId zone;

    @StateId("best")
    private final StateSpec<MapState<String, Alert>> bestSpec =
        StateSpecs.map(StringUtf8Coder.of(), Alert.AlertCoder.of());

    @StateId("sent")
    private final StateSpec<MapState<String, Boolean>> sentSpec =
        StateSpecs.map(StringUtf8Coder.of(), BooleanCoder.of());

    @TimerFamily("send")
    private final TimerSpec sendSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    @TimerFamily("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    KeepEarliestFn(PeriodScope scope, String zoneId, Duration allowedLateness) {
      this.scope = scope;
      this.zoneId = zoneId;
      this.allowedLateness = allowedLateness;
    }

    @Setup
    public void setup() {
      zone = ZoneId.of(zoneId);
    }

    private static void suppress(String route) {
      Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.SUPPRESSED_ONCE_PER_PERIOD + route).inc();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Alert> element,
        @StateId("best") MapState<String, Alert> best,
        @StateId("sent") MapState<String, Boolean> sent,
        @TimerFamily("send") TimerMap send) {
      Alert alert = element.getValue();
      String slot =
          alert.route() + '\u0001' + alert.mobile() + '\u0001' + scope.periodOf(alert.occurMillis(), zone);
      if (sent.get(slot).read() != null) {
        suppress(alert.route());
        return;
      }
      Alert current = best.get(slot).read();
      if (current != null && Alert.EARLIEST_FIRST.compare(current, alert) <= 0) {
        suppress(alert.route());
        return;
      }
      if (current != null) {
        suppress(current.route());
      }
      best.put(slot, alert);
      send.set(slot, new Instant(alert.occurMillis()));
    }

    @OnTimerFamily("send")
    public void onSend(
        @TimerId String slot,
        @StateId("best") MapState<String, Alert> best,
        @StateId("sent") MapState<String, Boolean> sent,
        @TimerFamily("forget") TimerMap forget,
        OutputReceiver<Alert> out) {
      Alert alert = best.get(slot).read();
      if (alert == null) {
        return;
      }
      out.output(alert);
      best.remove(slot);
      sent.put(slot, true);
      long end = scope.periodEnd(alert.occurMillis(), zone);
      if (end != Long.MAX_VALUE) {
        forget.set(slot, new Instant(end).plus(allowedLateness));
      }
    }

    @OnTimerFamily("forget")
    public void onForget(@TimerId String slot, @StateId("sent") MapState<String, Boolean> sent) {
      sent.remove(slot);
    }
  }
}
