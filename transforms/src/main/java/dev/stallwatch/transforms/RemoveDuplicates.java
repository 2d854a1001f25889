package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
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
 * Drops exact duplicates (SPEC §1: same applicant, request, status, step and instant), keeping the
 * first delivery. Like Beam's {@code Deduplicate}, it remembers a row until an event-time timer
 * {@code retention} after the row's time clears it, so its state does not grow without bound.
 */
public final class RemoveDuplicates extends PTransform<PCollection<Event>, PCollection<Event>> {
  private final Duration retention;

  private RemoveDuplicates(Duration retention) {
    this.retention = retention;
  }

  /** Remembers each row for {@code retention} of event time after it. */
  public static RemoveDuplicates withRetention(Duration retention) {
    return new RemoveDuplicates(retention);
  }

  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    return events
        .apply(
            "KeyByIdentity",
            WithKeys.of(Event::duplicateKey).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Event.EventCoder.of()))
        .apply("KeepFirst", ParDo.of(new KeepFirstFn(retention)))
        .setCoder(Event.EventCoder.of());
  }

  private static final class KeepFirstFn extends DoFn<KV<String, Event>, Event> {
    private final Counter duplicates = StallMetrics.counter(StallMetrics.DUPLICATES);
    private final Duration retention;

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    KeepFirstFn(Duration retention) {
      this.retention = retention;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Event> element,
        @Timestamp Instant timestamp,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("expiry") Timer expiry,
        OutputReceiver<Event> out) {
      if (seen.read() != null) {
        duplicates.inc();
        return;
      }
      seen.write(true);
      expiry.set(timestamp.plus(retention));
      out.output(element.getValue());
    }

    @OnTimer("expiry")
    public void onExpiry(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
