package dev.stallwatch.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * SPEC §1's time formats, read as local time of a zone: {@code yyyy-MM-dd HH:mm:ss} and {@code
 * yyyy-MM-ddTHH:mm:ss}, each with an optional {@code .fraction} (kept to the millisecond), and
 * {@code yyyyMMddHHmmss}. Written back as {@code yyyy-MM-dd HH:mm:ss}, {@code yyyyMMdd} and {@code
 * HH:mm:ss}.
 */
public final class EventTimes {
  private EventTimes() {}

  /**
   * Epoch milliseconds of {@code text} in {@code zone}.
   *
   * @throws IllegalArgumentException naming the problem when the text is not one of the formats or
   *     not a real date and time
   */
  public static long parse(String text, ZoneId zone) {
    int n = text.length();
    int year;
    int month;
    int day;
    int hour;
    int minute;
    int second;
    int nanos = 0;
    if (n == 14) {
      year = digits(text, 0, 4);
      month = digits(text, 4, 2);
      day = digits(text, 6, 2);
      hour = digits(text, 8, 2);
      minute = digits(text, 10, 2);
      second = digits(text, 12, 2);
    } else if (n >= 19) {
      year = digits(text, 0, 4);
      sep(text, 4, '-');
      month = digits(text, 5, 2);
      sep(text, 7, '-');
      day = digits(text, 8, 2);
      char t = text.charAt(10);
      if (t != ' ' && t != 'T') {
        throw unparseable(text);
      }
      hour = digits(text, 11, 2);
      sep(text, 13, ':');
      minute = digits(text, 14, 2);
      sep(text, 16, ':');
      second = digits(text, 17, 2);
      if (n > 19) {
        sep(text, 19, '.');
        int fractionDigits = n - 20;
        if (fractionDigits < 1 || fractionDigits > 9) {
          throw unparseable(text);
        }
        nanos = digits(text, 20, fractionDigits);
        for (int i = fractionDigits; i < 9; i++) {
          nanos *= 10;
        }
      }
    } else {
      throw unparseable(text);
    }
    try {
      LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
      return local.atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("impossible date or time '" + text + "'");
    }
  }

  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw unparseable(text);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void sep(String text, int at, char expected) {
    if (text.charAt(at) != expected) {
      throw unparseable(text);
    }
  }

  private static IllegalArgumentException unparseable(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return new IllegalArgumentException(
        "time '" + shown + "' is not yyyy-MM-dd HH:mm:ss[.f], yyyy-MM-ddTHH:mm:ss[.f] or yyyyMMddHHmmss");
  }

  private static ZonedDateTime at(long millis, ZoneId zone) {
    return Instant.ofEpochMilli(millis).atZone(zone);
  }

  /** {@code yyyy-MM-dd HH:mm:ss}. */
  public static String dateTime(long millis, ZoneId zone) {
    ZonedDateTime t = at(millis, zone);
    StringBuilder sb = new StringBuilder(19);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append(' ');
    return time(sb, t).toString();
  }

  /** {@code yyyyMMdd}. */
  public static String date(long millis, ZoneId zone) {
    ZonedDateTime t = at(millis, zone);
    StringBuilder sb = new StringBuilder(8);
    pad(sb, t.getYear(), 4);
    pad(sb, t.getMonthValue(), 2);
    return pad(sb, t.getDayOfMonth(), 2).toString();
  }

  /** {@code HH:mm:ss}. */
  public static String time(long millis, ZoneId zone) {
    return time(new StringBuilder(8), at(millis, zone)).toString();
  }

  private static StringBuilder time(StringBuilder sb, ZonedDateTime t) {
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    return pad(sb, t.getSecond(), 2);
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
