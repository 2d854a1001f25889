package dev.stallwatch.classroom.generate;

import dev.stallwatch.text.JsonWriter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One generated JSON object, written field by field the way the classroom clients vary: a message's
 * field names are sometimes in another case ({@code USERID}, {@code Userid}), numbers are sometimes
 * sent as text, and a nested object is sometimes a string holding its JSON. CLASSROOM.md's common
 * reading rules accept all of these, so the variations change the text, never what a job reads.
 */
final class JsonText {
  /** How a message spells its field names: as written, all upper case, or the first letter upper. */
  enum Spelling {
    AS_IS,
    UPPER,
    CAPITALIZED
  }

  private final StringBuilder sb;
  private final Spelling spelling;
  private final SplittableRandom random;
  private final double textNumbers;
  private boolean first = true;

  /**
   * An object whose names are spelt {@code spelling} and whose numbers are text with probability
   * {@code textNumbers}, decided with {@code random}.
   */
  JsonText(Spelling spelling, SplittableRandom random, double textNumbers) {
    this.sb = new StringBuilder(160);
    this.spelling = spelling;
    this.random = random;
    this.textNumbers = textNumbers;
    sb.append('{');
  }

  /** A spelling for one message: as written about nine times in ten. */
  static Spelling spelling(SplittableRandom random) {
    int r = random.nextInt(100);
    return r < 90 ? Spelling.AS_IS : r < 95 ? Spelling.UPPER : Spelling.CAPITALIZED;
  }

  JsonText text(String name, String value) {
    name(name);
    JsonWriter.quote(value, sb);
    return this;
  }

  /** A whole number, sent as text with this object's probability. */
  JsonText number(String name, long value) {
    name(name);
    if (textNumbers > 0 && random.nextDouble() < textNumbers) {
      sb.append('"').append(value).append('"');
    } else {
      sb.append(value);
    }
    return this;
  }

  /** A nested object, sent as a string holding its JSON when {@code asString}. */
  JsonText object(String name, JsonText inner, boolean asString) {
    name(name);
    String json = inner.end();
    if (asString) {
      JsonWriter.quote(json, sb);
    } else {
      sb.append(json);
    }
    return this;
  }

  /** A value written as given: already JSON. */
  JsonText raw(String name, String json) {
    name(name);
    sb.append(json);
    return this;
  }

  private void name(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    JsonWriter.quote(spelt(name), sb);
    sb.append(':');
  }

  private String spelt(String name) {
    switch (spelling) {
      case UPPER:
        return name.toUpperCase(Locale.ROOT);
      case CAPITALIZED:
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
      default:
        return name;
    }
  }

  /** The object, closed (once: a second call adds another brace). */
  String end() {
    sb.append('}');
    return sb.toString();
  }
}
