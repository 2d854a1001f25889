package dev.stallwatch.domain;

import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/** A dead letter: the raw input, where it came from, and why it could not be used. */
@DefaultCoder(BadRecord.BadRecordCoder.class)
public final class BadRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String raw;
  private final String origin;
  private final String reason;

  private BadRecord(String raw, String origin, String reason) {
    this.raw = Objects.requireNonNull(raw, "raw");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public static BadRecord of(String raw, String origin, String reason) {
    return new BadRecord(raw, origin, reason);
  }

  public String raw() {
    return raw;
  }

  public String origin() {
    return origin;
  }

  public String reason() {
    return reason;
  }

  /** One JSON object: {@code {"raw":..,"origin":..,"reason":..}}. */
  public String toJson() {
    return new JsonWriter(raw.length() + 64)
        .field("raw", raw)
        .field("origin", origin)
        .field("reason", reason)
        .end();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BadRecord
        && raw.equals(((BadRecord) o).raw)
        && origin.equals(((BadRecord) o).origin)
        && reason.equals(((BadRecord) o).reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(raw, origin, reason);
  }

  @Override
  public String toString() {
    return origin + ": " + reason;
  }

  /** Coder of {@link BadRecord}. */
  public static final class BadRecordCoder extends AtomicCoder<BadRecord> {
    private static final BadRecordCoder INSTANCE = new BadRecordCoder();

    public static BadRecordCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BadRecord r, OutputStream out) throws IOException {
      StreamCodec.writeString(r.raw, out);
      StreamCodec.writeString(r.origin, out);
      StreamCodec.writeString(r.reason, out);
    }

    @Override
    public BadRecord decode(InputStream in) throws IOException {
      return new BadRecord(
          StreamCodec.readString(in), StreamCodec.readString(in), StreamCodec.readString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
