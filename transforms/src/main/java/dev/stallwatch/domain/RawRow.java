package dev.stallwatch.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One unparsed input row and where it came from ({@code file:line} or {@code
 * topic/partition/offset}). A CSV row carries its file's header line; a JSON row has an empty
 * header.
 */
@DefaultCoder(RawRow.RawRowCoder.class)
public final class RawRow implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The most bytes a row may have: a longer dump line or Kafka message is a dead letter, read no
   * further than needed to count it. A row of SPEC §1's fields is a few hundred bytes; the limit
   * leaves room for the unknown fields a change stream carries.
   */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  /** How much of a row over {@link #MAX_BYTES} is kept, to show in its dead letter. */
  public static final int SHOWN_BYTES = 64 * 1024;

  /** Why a row of {@code bytes} bytes, more than {@link #MAX_BYTES}, is not read. */
  public static String tooLong(long bytes) {
    return "the row has " + bytes + " bytes, more than the " + MAX_BYTES + " a row may have";
  }

  private final String origin;
  private final String text;
  private final String csvHeader;

  private RawRow(String origin, String text, String csvHeader) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.text = Objects.requireNonNull(text, "text");
    this.csvHeader = Objects.requireNonNull(csvHeader, "csvHeader");
  }

  public static RawRow json(String origin, String text) {
    return new RawRow(origin, text, "");
  }

  public static RawRow csv(String origin, String text, String header) {
    return new RawRow(origin, text, header);
  }

  public String origin() {
    return origin;
  }

  public String text() {
    return text;
  }

  public String csvHeader() {
    return csvHeader;
  }

  public boolean isCsv() {
    return !csvHeader.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRow
        && origin.equals(((RawRow) o).origin)
        && text.equals(((RawRow) o).text)
        && csvHeader.equals(((RawRow) o).csvHeader);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, text);
  }

  @Override
  public String toString() {
    return origin;
  }

  /** Coder of {@link RawRow}. */
  public static final class RawRowCoder extends AtomicCoder<RawRow> {
    private static final RawRowCoder INSTANCE = new RawRowCoder();

    public static RawRowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RawRow r, OutputStream out) throws IOException {
      StreamCodec.writeString(r.origin, out);
      StreamCodec.writeString(r.text, out);
      StreamCodec.writeString(r.csvHeader, out);
    }

    @Override
    public RawRow decode(InputStream in) throws IOException {
      return new RawRow(
          StreamCodec.readString(in), StreamCodec.readString(in), StreamCodec.readString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
