package dev.stallwatch.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * One element of the backfill's single stream: a raw row, an event, an alert or a dead letter.
 * The batch graph carries all four on one line of steps (read, parse, group, decide, write), so
 * that no step has a second output: on Flink a step with several outputs sends every element to
 * each output's own filter, and those filters cannot be chained to the step.
 */
public final class StallRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a record holds. */
  public enum Kind {
    ROW,
    EVENT,
    ALERT,
    DEAD_LETTER
  }

  private final Kind kind;
  private final Object value;

  private StallRecord(Kind kind, Object value) {
    this.kind = kind;
    this.value = Objects.requireNonNull(value);
  }

  public static StallRecord of(RawRow row) {
    return new StallRecord(Kind.ROW, row);
  }

  public static StallRecord of(Event event) {
    return new StallRecord(Kind.EVENT, event);
  }

  public static StallRecord of(Alert alert) {
    return new StallRecord(Kind.ALERT, alert);
  }

  public static StallRecord of(BadRecord deadLetter) {
    return new StallRecord(Kind.DEAD_LETTER, deadLetter);
  }

  public Kind kind() {
    return kind;
  }

  public RawRow row() {
    return as(Kind.ROW, RawRow.class);
  }

  public Event event() {
    return as(Kind.EVENT, Event.class);
  }

  public Alert alert() {
    return as(Kind.ALERT, Alert.class);
  }

  public BadRecord deadLetter() {
    return as(Kind.DEAD_LETTER, BadRecord.class);
  }

  private <T> T as(Kind wanted, Class<T> type) {
    if (kind != wanted) {
      throw new IllegalStateException("a " + kind + " record, not a " + wanted);
    }
    return type.cast(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StallRecord r && r.kind == kind && r.value.equals(value);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return kind + " " + value;
  }

  /** Coder of {@link StallRecord}: a kind byte, then the value in its own type's coding. */
  public static final class StallRecordCoder extends AtomicCoder<StallRecord> {
    private static final StallRecordCoder INSTANCE = new StallRecordCoder();
    private static final Kind[] KINDS = Kind.values();

    public static StallRecordCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(StallRecord r, OutputStream out) throws IOException {
      out.write(r.kind.ordinal());
      switch (r.kind) {
        case ROW -> RawRow.RawRowCoder.of().encode(r.row(), out);
        case EVENT -> Event.EventCoder.of().encode(r.event(), out);
        case ALERT -> Alert.AlertCoder.of().encode(r.alert(), out);
        case DEAD_LETTER -> BadRecord.BadRecordCoder.of().encode(r.deadLetter(), out);
      }
    }

    @Override
    public StallRecord decode(InputStream in) throws IOException {
      int k = in.read();
      if (k < 0 || k >= KINDS.length) {
        throw new CoderException("not a StallRecord: kind " + k);
      }
      return switch (KINDS[k]) {
        case ROW -> StallRecord.of(RawRow.RawRowCoder.of().decode(in));
        case EVENT -> StallRecord.of(Event.EventCoder.of().decode(in));
        case ALERT -> StallRecord.of(Alert.AlertCoder.of().decode(in));
        case DEAD_LETTER -> StallRecord.of(BadRecord.BadRecordCoder.of().decode(in));
      };
    }

    @Override
    public void verifyDeterministic() {}
  }
}
