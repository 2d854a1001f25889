package dev.stallwatch.classroom.generate;

import dev.stallwatch.text.JsonWriter;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

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

  private static final Map<String, String> UPPER = new ConcurrentHashMap<>();
  private static final Map<String, String> CAPITALIZED = new ConcurrentHashMap<>();

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
    this(spelling, random, textNumbers, 96);
  }

  /** As above, with room for about {@code capacity} characters. */
  JsonText(Spelling spelling, SplittableRandom random, double textNumbers, int capacity) {
    this.sb = new StringBuilder(capacity);
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
    quote(value, sb);
    return this;
  }

  /** Appends {@code s} quoted; the common text with nothing to escape in one piece. */
  private static void quote(String s, StringBuilder sb) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        JsonWriter.quote(s, sb);
        return;
      }
    }
    sb.append('"').append(s).append('"');
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
    sb.append('"').append(spelt(name)).append("\":"); // the names are plain ASCII
  }

  private String spelt(String name) {
    switch (spelling) {
      case UPPER:
        return UPPER.computeIfAbsent(name, n -> n.toUpperCase(Locale.ROOT));
      case CAPITALIZED:
        return CAPITALIZED.computeIfAbsent(name, n -> Character.toUpperCase(n.charAt(0)) + n.substring(1));
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
