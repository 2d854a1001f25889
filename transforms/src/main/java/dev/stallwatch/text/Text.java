package dev.stallwatch.text;

/**
 * The white space and control-character rules every input field and line follows. White space is
 * Unicode's {@code White_Space} property: tab, line feed, vertical tab, form feed, carriage return,
 * space, next line (U+0085), the no-break spaces (U+00A0, U+2007, U+202F), the ideographic space
 * (U+3000) and the other space separators. {@link String#trim} strips every character up to U+0020
 * instead — NUL and the other controls too, but no Unicode space — and {@link String#isBlank}
 * misses U+00A0; neither is used on data.
 */
public final class Text {
  private Text() {}

  /**
   * {@code a} against {@code b} by Unicode code points, as their UTF-8 bytes compare (which {@link
   * String#compareTo}, by UTF-16 units, does not where a supplementary character meets one of
   * U+E000 to U+FFFF): negative when {@code a} is smaller.
   */
  public static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // a surrogate (U+D800 to U+DFFF) starts a code point above U+FFFF: above every other unit
        boolean xs = Character.isSurrogate(x);
        boolean ys = Character.isSurrogate(y);
        if (xs != ys) {
          return xs ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** Whether {@code c} has Unicode's {@code White_Space} property. */
  public static boolean isWhiteSpace(char c) {
    return (c >= '\t' && c <= '\r') || c == '\u0085' || Character.isSpaceChar(c);
  }

  /** Whether {@code text} holds nothing but white space (or nothing). A NUL is not white space. */
  public static boolean isBlank(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isWhiteSpace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} without the white space at its start and end. */
  public static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isWhiteSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isWhiteSpace(text.charAt(end - 1))) {
      end--;
    }
    return start == 0 && end == text.length() ? text : text.substring(start, end);
  }

  /**
   * The index of the first control character in {@code text} other than tab, line feed and
   * carriage return (which a quoted CSV field or a JSON escape may carry), or -1. NUL, U+0001 and
   * the other C0 and C1 controls and DEL have no place in a field: a database refuses NUL in text,
   * and StallWatch joins key parts with U+0001.
   */
  public static int firstControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }

  /** {@code U+0001}: how a character is named in a message. */
  public static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }
}
