package dev.stallwatch.classroom.domain;

import dev.stallwatch.text.EventTimes;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;
import org.joda.time.Duration;

/**
 * What decides C1's signals and C3's per-minute rows (CLASSROOM.md C1, C3): the zone local times
 * are read and written in (default {@value #DEFAULT_ZONE}), the event table ({@link
 * SignalRules#defaults()}), C3's allowed lateness (default 0) and C3's watermark bound (default 5
 * s). Immutable; {@link #defaults()} is CLASSROOM.md.
 *
 * <p>The watermark bound is applied by the streaming source (a partition's watermark trails the
 * latest event time it has seen by the bound); it is kept here so that every default of the two
 * jobs is decided once, in one place. {@link #tooLate} is the source's other rule: which records it
 * must stamp with its watermark instead of their event time, so that {@code CleanSignals} or
 * {@code ClassroomPerformance} makes them dead letters {@code late} before Beam's window grouping
 * could drop them silently.
 */
public final class SignalsConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_ZONE = "Asia/Shanghai";

  /** C3's window: tumbling, one minute of event time, aligned to the epoch's minutes. */
  public static final Duration WINDOW = Duration.standardMinutes(1);

  /** The default watermark bound, the article's out-of-orderness for C3: 5 seconds. */
  public static final Duration DEFAULT_WATERMARK_BOUND = Duration.standardSeconds(5);

  /** The longest allowed lateness or watermark bound: 7 days, as the stall job's. */
  public static final Duration MAX_DURATION = Duration.standardDays(7);

  private final String zoneId;
  private final SignalRules rules;
  private final Duration allowedLateness;
  private final Duration watermarkBound;

  private SignalsConfig(Builder b) {
    this.zoneId = ZoneId.of(Objects.requireNonNull(b.zoneId, "zoneId")).getId();
    this.rules = Objects.requireNonNull(b.rules, "rules");
    this.allowedLateness = check("allowedLateness", b.allowedLateness);
    this.watermarkBound = check("watermarkBound", b.watermarkBound);
  }

  private static Duration check(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.getMillis() < 0) {
      throw new IllegalArgumentException(name + " must not be negative, not " + d);
    }
    if (d.isLongerThan(MAX_DURATION)) {
      throw new IllegalArgumentException(name + " must be at most P7D, not " + d);
    }
    return d;
  }

  public static SignalsConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .zoneId(zoneId)
        .rules(rules)
        .allowedLateness(allowedLateness)
        .watermarkBound(watermarkBound);
  }

  public ZoneId zone() {
    return ZoneId.of(zoneId);
  }

  public String zoneId() {
    return zoneId;
  }

  public SignalRules rules() {
    return rules;
  }

  /** How long after its window's end a signal may still update the window's row (C3). */
  public Duration allowedLateness() {
    return allowedLateness;
  }

  /** How far a source's watermark trails the latest event time it has seen (C3; default 5 s). */
  public Duration watermarkBound() {
    return watermarkBound;
  }

  /** The start of the one-minute window holding {@code eventMillis}. */
  public static long windowStart(long eventMillis) {
    return Math.floorDiv(eventMillis, WINDOW.getMillis()) * WINDOW.getMillis();
  }

  /**
   * Whether a signal of {@code eventMillis} read when the source's watermark is {@code
   * watermarkMillis} is too late for C3: its window ended, plus the allowed lateness, before the
   * watermark — exactly when Beam's grouping would drop it (its window's last millisecond plus the
   * lateness is before the watermark). Such a record must be stamped with the watermark, not its
   * event time; a signal that is not too late is stamped with its event time and updates its row.
   */
  public boolean tooLate(long eventMillis, long watermarkMillis) {
    long lastMillisOfWindow = windowStart(eventMillis) + WINDOW.getMillis() - 1;
    return lastMillisOfWindow + allowedLateness.getMillis() < watermarkMillis;
  }

  /** {@code yyyy-MM-dd HH:mm:ss.SSS} in this config's zone: how reasons show a time. */
  public static String shownTime(long millis, ZoneId zone) {
    String ms = Long.toString(Math.floorMod(millis, 1000L) + 1000L).substring(1);
    return EventTimes.dateTime(millis, zone) + "." + ms;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SignalsConfig)) {
      return false;
    }
    SignalsConfig c = (SignalsConfig) o;
    return zoneId.equals(c.zoneId)
        && rules.equals(c.rules)
        && allowedLateness.equals(c.allowedLateness)
        && watermarkBound.equals(c.watermarkBound);
  }

  @Override
  public int hashCode() {
    return Objects.hash(zoneId, rules, allowedLateness, watermarkBound);
  }

  @Override
  public String toString() {
    return "SignalsConfig{zone=" + zoneId + ", rules=" + rules.rules().size() + ", allowedLateness=" + allowedLateness
        + ", watermarkBound=" + watermarkBound + "}";
  }

  /** Builds a {@link SignalsConfig}; every part defaults to CLASSROOM.md. */
  public static final class Builder {
    private String zoneId = DEFAULT_ZONE;
    private SignalRules rules = SignalRules.defaults();
    private Duration allowedLateness = Duration.ZERO;
    private Duration watermarkBound = DEFAULT_WATERMARK_BOUND;

    private Builder() {}

    public Builder zoneId(String v) {
      zoneId = v;
      return this;
    }

    public Builder rules(SignalRules v) {
      rules = v;
      return this;
    }

    public Builder allowedLateness(Duration v) {
      allowedLateness = v;
      return this;
    }

    public Builder watermarkBound(Duration v) {
      watermarkBound = v;
      return this;
    }

    public SignalsConfig build() {
      return new SignalsConfig(this);
    }
  }
}
