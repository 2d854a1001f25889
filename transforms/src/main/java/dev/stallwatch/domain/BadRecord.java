package dev.stallwatch.domain;

import dev.stallwatch.text.IdShapes;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A dead letter: the raw input, where it came from, and why it could not be used. The raw text
 * kept is at most {@value #MAX_RAW} characters and the reason at most {@value #MAX_REASON}: a
 * megabyte-long bad row must not make a dead letter too large for its topic or file.
 */
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

  /** The most characters of raw text a dead letter keeps. */
  public static final int MAX_RAW = 16_384;

  /** The most characters of a reason. */
  public static final int MAX_REASON = 1_000;

  /**
   * A dead letter of {@code raw} (whose {@code id_no} the caller masked by the row's shape: see
   * {@code IdMasking}). Whatever the caller did, every id-shaped run in the raw text, and in the
   * values the reason quotes, is masked here ({@link IdShapes}). Text beyond the limits is
   * cut and the cut said, with the raw text's whole length.
   */
  public static BadRecord of(String raw, String origin, String reason) {
    return new BadRecord(cut(IdShapes.mask(raw), MAX_RAW), origin, cut(IdShapes.maskQuoted(reason), MAX_REASON));
  }

  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max; // keep pairs whole
    return text.substring(0, end) + "... [cut: " + text.length() + " characters in all]";
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
