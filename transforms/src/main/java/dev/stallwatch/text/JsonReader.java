package dev.stallwatch.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader over one string (RFC 8259). Rows are read field by field without
 * building a tree ({@link #beginObject}, {@link #nextField}, {@link #scalarText}, {@link
 * #skipValue}); configuration files are read whole with {@link #readValue}.
 *
 * <p>Whatever the text, it fails only with {@link JsonException}: values nest at most {@value
 * #MAX_DEPTH} deep (deeper text would exhaust the stack), and a number too large for a {@link
 * BigDecimal} is refused when a tree is built and merely checked when it is skipped.
 */
public final class JsonReader {
  /** How deep objects and arrays may nest, the outermost counting as one. */
  public static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;
  private boolean firstField;

  public JsonReader(String text) {
    this.text = text;
  }

  /** Parses a whole document into maps, lists, strings, {@link BigDecimal}s, booleans and nulls. */
  public static Object parse(String text) {
    JsonReader r = new JsonReader(text);
    Object value = r.readValue();
    r.end();
    return value;
  }

  /** Fails unless only whitespace is left. */
  public void end() {
    skipWhitespace();
    if (pos < text.length()) {
      throw error("unexpected text after the JSON value");
    }
  }

  /** True when the next value is an object. */
  public boolean peekObject() {
    skipWhitespace();
    return pos < text.length() && text.charAt(pos) == '{';
  }

  /** What the next value is, in words, for error messages. */
  public String peekKind() {
    skipWhitespace();
    if (pos >= text.length()) {
      return "nothing";
    }
    switch (text.charAt(pos)) {
      case '{':
        return "an object";
      case '[':
        return "an array";
      case '"':
        return "a string";
      case 't':
      case 'f':
        return "a boolean";
      case 'n':
        return "null";
      default:
        char c = text.charAt(pos);
        return c == '-' || (c >= '0' && c <= '9') ? "a number" : "not JSON (it starts with " + Text.codePoint(c) + ")";
    }
  }

  public void beginObject() {
    expect('{');
    firstField = true;
  }

  /** The next field's name, or null at the end of the current object (which it consumes). */
  public String nextField() {
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return null;
    }
    if (!firstField) {
      expect(',');
      skipWhitespace();
    }
    firstField = false;
    String name = readString();
    expect(':');
    return name;
  }

  /**
   * The next value as text: a string's content or a number's literal text; null for JSON null.
   *
   * @throws JsonException for objects, arrays and booleans, which no row field may be
   */
  public String scalarText() {
    skipWhitespace();
    char c = peek();
    if (c == '"') {
      return readString();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return readNumberText();
    }
    if (c == 'n') {
      literal("null");
      return null;
    }
    throw error("expected text or a number, found " + peekKind());
  }

  /**
   * Skips the next value, whatever it is, inside the object {@link #beginObject} opened (which
   * counts as the first level of nesting). It accepts the values {@link #readValue} accepts, with
   * the same messages for those it refuses, but builds nothing: a key repeated inside a skipped
   * object is not looked for (the value is ignored, so which copy wins does not matter), and a
   * number too large for a {@link BigDecimal} it passes over.
   */
  public void skipValue() {
    skipValue(2);
  }

  private void skipValue(int depth) {
    skipWhitespace();
    char c = peek();
    switch (c) {
      case '{':
        {
          checkDepth(depth);
          pos++;
          skipWhitespace();
          if (peek() == '}') {
            pos++;
            return;
          }
          while (true) {
            skipWhitespace();
            skipString();
            expect(':');
            skipValue(depth + 1);
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == '}') {
              return;
            }
            if (next != ',') {
              pos--;
              throw error("expected ',' or '}'");
            }
          }
        }
      case '[':
        {
          checkDepth(depth);
          pos++;
          skipWhitespace();
          if (peek() == ']') {
            pos++;
            return;
          }
          while (true) {
            skipValue(depth + 1);
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == ']') {
              return;
            }
            if (next != ',') {
              pos--;
              throw error("expected ',' or ']'");
            }
          }
        }
      case '"':
        skipString();
        return;
      case 't':
        literal("true");
        return;
      case 'f':
        literal("false");
        return;
      case 'n':
        literal("null");
        return;
      default:
        readNumberText();
    }
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("values nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  /** Reads the next value into a tree. */
  public Object readValue() {
    return readValue(1);
  }

  private Object readValue(int depth) {
    skipWhitespace();
    char c = peek();
    switch (c) {
      case '{':
        {
          checkDepth(depth);
          pos++;
          Map<String, Object> map = new LinkedHashMap<>();
          skipWhitespace();
          if (peek() == '}') {
            pos++;
            return map;
          }
          while (true) {
            skipWhitespace();
            String name = readString();
            expect(':');
            if (map.containsKey(name)) {
              throw error("key \"" + shorten(name) + "\" appears twice");
            }
            map.put(name, readValue(depth + 1));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == '}') {
              return map;
            }
            if (next != ',') {
              pos--;
              throw error("expected ',' or '}'");
            }
          }
        }
      case '[':
        {
          checkDepth(depth);
          pos++;
          List<Object> list = new ArrayList<>();
          skipWhitespace();
          if (peek() == ']') {
            pos++;
            return list;
          }
          while (true) {
            list.add(readValue(depth + 1));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == ']') {
              return list;
            }
            if (next != ',') {
              pos--;
              throw error("expected ',' or ']'");
            }
          }
        }
      case '"':
        return readString();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        String number = readNumberText();
        try {
          return new BigDecimal(number);
        } catch (NumberFormatException e) {
          throw error("number '" + shorten(number) + "' is out of range");
        }
    }
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
  }

  private String readNumberText() {
    int start = pos;
    if (pos < text.length() && text.charAt(pos) == '-') {
      pos++;
    }
    int intStart = pos;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == intStart) {
      throw error("unexpected character");
    }
    if (text.charAt(intStart) == '0' && pos - intStart > 1) {
      throw error("a number may not start with 0");
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      int fracStart = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == fracStart) {
        throw error("a number needs digits after '.'");
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      int expStart = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == expStart) {
        throw error("a number needs digits in its exponent");
      }
    }
    return text.substring(start, pos);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private String readString() {
    skipWhitespace();
    expect('"');
    int start = pos;
    // Fast path: no escapes.
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        return text.substring(start, pos++);
      }
      if (c == '\\') {
        break;
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      pos++;
    }
    StringBuilder sb = new StringBuilder(text.length() - start);
    sb.append(text, start, pos);
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append(e);
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u':
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
              throw error("bad \\u escape");
            }
            code = code * 16 + d;
          }
          sb.append((char) code);
          break;
        default:
          pos--;
          throw error("bad escape \\" + e);
      }
    }
    throw error("unterminated string");
  }

  /** Passes over a string with exactly {@link #readString}'s checks, building nothing. */
  private void skipString() {
    expect('"');
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          break;
        case 'u':
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          for (int i = 0; i < 4; i++) {
            if (Character.digit(text.charAt(pos++), 16) < 0) {
              throw error("bad \\u escape");
            }
          }
          break;
        default:
          pos--;
          throw error("bad escape \\" + e);
      }
    }
    throw error("unterminated string");
  }

  private void expect(char c) {
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("expected '" + c + "' but the text ended");
    }
    if (text.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("the text ended early");
    }
    return text.charAt(pos);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String message) {
    return new JsonException(message + " at character " + (pos + 1));
  }

  /** Text that is not the JSON we expect; its message says what and where. */
  public static final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  /**
   * The fields of a flat JSON object as text, names lower-cased, in order; a text that is not such
   * an object gives the fields read before the problem (none for garbage).
   */
  public static java.util.Map<String, String> flatFields(String json) {
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    try {
      JsonReader r = new JsonReader(json);
      r.beginObject();
      for (String name = r.nextField(); name != null; name = r.nextField()) {
        fields.put(name.toLowerCase(java.util.Locale.ROOT), r.scalarText());
      }
    } catch (RuntimeException e) {
      // not a flat object: what was read is all there is
    }
    return fields;
  }
}
