package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.Text;
import dev.stallwatch.text.Utf8;
import java.nio.charset.StandardCharsets;

/**
 * The checks every StallWatch Kafka source makes of a message's value before its job reads it: a
 * tombstone, a value longer than {@link RawRow#MAX_BYTES}, bytes that are not UTF-8 and a blank text
 * (white space only, {@link Text#isBlank}) are no message, each with its reason.
 */
final class KafkaValues {
  private KafkaValues() {}

  /** A value's text (or, when unusable, what of it a dead letter shows) and why it is unusable, or null. */
  record Decoded(String text, String reason) {
    boolean ok() {
      return reason == null;
    }
  }

  static Decoded decode(byte[] value) {
    if (value == null) {
      return new Decoded("", "empty message (a tombstone)");
    }
    if (value.length > RawRow.MAX_BYTES) {
      return new Decoded(new String(value, 0, RawRow.SHOWN_BYTES, StandardCharsets.UTF_8), RawRow.tooLong(value.length));
    }
    String text = Utf8.decodeOrNull(value, 0, value.length);
    if (text == null) {
      return new Decoded(new String(value, StandardCharsets.UTF_8), "not UTF-8 text");
    }
    if (Text.isBlank(text)) {
      // a dump's blank line is skipped, but a message is never sent for nothing
      return new Decoded(text, "blank message");
    }
    return new Decoded(text, null);
  }
}
