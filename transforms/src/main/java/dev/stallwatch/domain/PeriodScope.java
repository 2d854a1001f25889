package dev.stallwatch.domain;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.joda.time.Duration;

/**
 * The scope of "once per period" (SPEC §5): at most one alert per route and mobile in each calendar
 * day of the configured zone ({@link #day()}), each fixed period counted from the epoch ({@link
 * #fixed}), or ever ({@link #lifetime()}).
 */
public final class PeriodScope implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  /**
   * The longest fixed period: 366 days, also the config file's bound. Longer periods would keep a
   * mobile's state for years, and periods near Long.MAX_VALUE milliseconds overflow.
   */
  public static final Duration MAX_FIXED = Duration.standardDays(366);

  private enum Kind {
    DAY,
    FIXED,
    LIFETIME
  }

  private final Kind kind;
  private final long periodMillis;

  private PeriodScope(Kind kind, long periodMillis) {
    this.kind = kind;
    this.periodMillis = periodMillis;
  }

  public static PeriodScope day() {
    return new PeriodScope(Kind.DAY, 0);
  }

  public static PeriodScope fixed(Duration period) {
    if (period.getMillis() <= 0 || period.isLongerThan(MAX_FIXED)) {
      throw new IllegalArgumentException("a fixed period must be from PT0.001S to P366D, not " + period);
    }
    return new PeriodScope(Kind.FIXED, period.getMillis());
  }

  public static PeriodScope lifetime() {
    return new PeriodScope(Kind.LIFETIME, 0);
  }

  /** Whether this is a fixed period (neither the calendar day nor the lifetime). */
  public boolean isFixed() {
    return kind == Kind.FIXED;
  }

  /** The period an alert occurring at {@code millis} belongs to, as a short key. */
  public String periodOf(long millis, ZoneId zone) {
    switch (kind) {
      case DAY:
        return Instant.ofEpochMilli(millis).atZone(zone).toLocalDate().format(BASIC_DATE);
      case FIXED:
        return "P" + Math.floorDiv(millis, periodMillis);
      default:
        return "ever";
    }
  }

  /**
   * The first instant after the period holding {@code millis}; {@link Long#MAX_VALUE} for the
   * lifetime scope, whose state never expires.
   */
  public long periodEnd(long millis, ZoneId zone) {
    switch (kind) {
      case DAY:
        LocalDate next = Instant.ofEpochMilli(millis).atZone(zone).toLocalDate().plusDays(1);
        return next.atStartOfDay(zone).toInstant().toEpochMilli();
      case FIXED:
        return (Math.floorDiv(millis, periodMillis) + 1) * periodMillis;
      default:
        return Long.MAX_VALUE;
    }
  }

  /** "day", "lifetime" or the fixed period as an ISO-8601 duration. */
  public String describe() {
    switch (kind) {
      case DAY:
        return "day";
      case FIXED:
        return java.time.Duration.ofMillis(periodMillis).toString(); // PT6H, as a config writes it
      default:
        return "lifetime";
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeriodScope
        && kind == ((PeriodScope) o).kind
        && periodMillis == ((PeriodScope) o).periodMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, periodMillis);
  }

  @Override
  public String toString() {
    return describe();
  }
}
