package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.Message;
import java.io.Serializable;
import java.time.ZoneId;

/**
 * Reads one message of a C2, C6 or C7 topic into its row, by the common reading rules of {@link
 * JsonRecord}, with the message's {@link Arrival} (the Kafka offset or dump line that orders one
 * id's rows at equal update times). A message a subclass cannot read is the reason it is a dead
 * letter: the {@link IllegalArgumentException} it throws names the field.
 */
public abstract class RowParser<T> implements Serializable {
  private final String zoneId;
  private transient ZoneId zone;

  protected RowParser(ZoneId zone) {
    this.zoneId = zone.getId();
    this.zone = zone;
  }

  /** A row, or the reason there is none. */
  public record Parsed<T>(T row, String reason) {
    public boolean ok() {
      return row != null;
    }
  }

  public final Parsed<T> parse(Message message) {
    if (zone == null) {
      zone = ZoneId.of(zoneId);
    }
    try {
      return new Parsed<>(read(JsonRecord.parse(message.value()), Arrival.of(message.origin()), zone), null);
    } catch (IllegalArgumentException e) {
      return new Parsed<>(null, e.getMessage());
    }
  }

  /** The row of a message's JSON object. */
  protected abstract T read(JsonRecord record, long arrival, ZoneId zone);
}
