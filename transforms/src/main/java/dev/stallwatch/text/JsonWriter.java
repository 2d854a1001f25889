package dev.stallwatch.text;

/** Appends JSON members to a builder: one flat object, fields in the order they are written. */
public final class JsonWriter {
  private final StringBuilder sb;
  private boolean first = true;

  public JsonWriter(StringBuilder sb) {
    this.sb = sb;
    sb.append('{');
  }

  public JsonWriter(int capacity) {
    this(new StringBuilder(capacity));
  }

  public JsonWriter field(String name, String value) {
    name(name);
    quote(value, sb);
    return this;
  }

  public JsonWriter field(String name, long value) {
    name(name);
    sb.append(value);
    return this;
  }

  private void name(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    quote(name, sb);
    sb.append(':');
  }

  /** The object, closed. */
  public String end() {
    sb.append('}');
    return sb.toString();
  }

  /** Appends {@code s} as a JSON string literal; characters outside ASCII stay as they are. */
  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || (Character.isSurrogate(c) && !validSurrogateAt(s, i))) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
