package dev.stallwatch.text;

/**
 * Masks every run of text that could be an identity document's number, wherever it stands: a run
 * of letters and digits (any script) holding at least {@value #MIN_DIGITS} digits. That covers PRC
 * identity numbers (15 or 18 characters), passports ({@code E12345678}), Hong Kong, Macau and
 * Taiwan permits ({@code H60123456}) and military ids written with Chinese characters; it also
 * masks mobile numbers and compact times, which is the price of not trusting a row's shape. A
 * JSON escape {@code \}{@code uXXXX} that stands for a letter or digit counts as that character, so
 * an escaped id is masked too. A run is replaced by {@link #MASK} as a whole.
 *
 * <p>This is the last line of defence for text that leaves the pipeline from a row it could not
 * read (dead letters' raw text and reasons): where a row's shape says which value is {@code
 * id_no}, {@code IdMasking} masks that value whatever it looks like.
 */
public final class IdShapes {
  private IdShapes() {}

  public static final String MASK = "***";

  /** The fewest digits a run must hold to be masked. */
  public static final int MIN_DIGITS = 6;

  /** {@code text} with every id-shaped run replaced by {@link #MASK}. */
  public static String mask(String text) {
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      int step = unit(text, i);
      if (step == 0) {
        i++;
        continue;
      }
      int start = i;
      int digits = 0;
      while (i < n && (step = unit(text, i)) != 0) {
        if (isDigitAt(text, i)) {
          digits++;
        }
        i += step;
      }
      if (digits >= MIN_DIGITS) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, start).append(MASK);
        copied = i;
      }
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  /**
   * {@code message} with every id-shaped run masked inside its quoted parts ({@code '...'} or
   * {@code "..."}, a quote left open running to the end): for messages whose own words and counts
   * are safe and which quote any value they show, such as a dead letter's reason.
   */
  public static String maskQuoted(String message) {
    StringBuilder out = null;
    int copied = 0;
    int n = message.length();
    for (int i = 0; i < n; i++) {
      char q = message.charAt(i);
      if (q != '\'' && q != '"') {
        continue;
      }
      int close = message.indexOf(q, i + 1);
      int end = close < 0 ? n : close;
      String inside = message.substring(i + 1, end);
      String masked = mask(inside);
      if (masked != inside) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(message, copied, i + 1).append(masked);
        copied = end;
      }
      i = end;
    }
    return out == null ? message : out.append(message, copied, n).toString();
  }

  /**
   * How many characters the letter or digit at {@code i} takes (2 for a surrogate pair, 6 for an
   * escape), or 0 when no letter or digit starts there.
   */
  private static int unit(String text, int i) {
    char c = text.charAt(i);
    if (c == '\\') {
      int escaped = escaped(text, i);
      return escaped >= 0 && Character.isLetterOrDigit(escaped) ? 6 : 0;
    }
    int cp = text.codePointAt(i);
    return Character.isLetterOrDigit(cp) ? Character.charCount(cp) : 0;
  }

  private static boolean isDigitAt(String text, int i) {
    if (text.charAt(i) == '\\') {
      return Character.isDigit(escaped(text, i));
    }
    return Character.isDigit(text.codePointAt(i));
  }

  /** The character a {@code \}{@code uXXXX} escape at {@code i} stands for, or -1. */
  private static int escaped(String text, int i) {
    if (i + 6 > text.length() || text.charAt(i + 1) != 'u') {
      return -1;
    }
    int code = 0;
    for (int k = i + 2; k < i + 6; k++) {
      int d = Character.digit(text.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      code = code * 16 + d;
    }
    return code;
  }
}
