package dev.stallwatch.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/** An applicant stalled at {@code event} under {@code rule}: nothing followed within its gap. */
@DefaultCoder(Stall.StallCoder.class)
public final class Stall implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Event event;
  private final String rule;
  private final long deadlineMillis;

  private Stall(Event event, String rule, long deadlineMillis) {
    this.event = Objects.requireNonNull(event, "event");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.deadlineMillis = deadlineMillis;
  }

  public static Stall of(Event event, Rule rule) {
    return new Stall(event, rule.name(), event.eventMillis() + rule.gap().getMillis());
  }

  public Event event() {
    return event;
  }

  public String rule() {
    return rule;
  }

  /** The stalled event's time plus its rule's gap. */
  public long deadlineMillis() {
    return deadlineMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stall
        && event.equals(((Stall) o).event)
        && rule.equals(((Stall) o).rule)
        && deadlineMillis == ((Stall) o).deadlineMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, rule, deadlineMillis);
  }

  @Override
  public String toString() {
    return "Stall{" + rule + " at " + deadlineMillis + ", " + event + "}";
  }

  /** Coder of {@link Stall}. */
  public static final class StallCoder extends AtomicCoder<Stall> {
    private static final StallCoder INSTANCE = new StallCoder();

    public static StallCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Stall s, OutputStream out) throws IOException {
      StreamCodec.Frame frame = StreamCodec.frame();
      Event.EventCoder.put(s.event, frame);
      frame.putString(s.rule);
      frame.putLong(s.deadlineMillis);
      frame.writeTo(out);
    }

    @Override
    public Stall decode(InputStream in) throws IOException {
      StreamCodec.Frame frame = StreamCodec.readFrame(in);
      return new Stall(Event.EventCoder.get(frame), frame.getString(), frame.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
