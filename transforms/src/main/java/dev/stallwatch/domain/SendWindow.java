package dev.stallwatch.domain;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The local-time window in which alerts may be sent (SPEC §5), e.g. 09:15–16:15: open at {@code
 * open}, closed from {@code close} on. A window whose close is before its open spans midnight.
 * Outside it, policy {@link Policy#DROP} drops a stall and {@link Policy#DEFER} re-times it to the
 * next opening.
 */
public final class SendWindow implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What happens to a stall whose deadline falls outside the window. */
  public enum Policy {
    DROP,
    DEFER
  }

  /** What {@link #apply} answers for a stall that is dropped. */
  public static final long DROPPED = Long.MIN_VALUE;

  private final LocalTime open;
  private final LocalTime close;
  private final Policy policy;

  private SendWindow(LocalTime open, LocalTime close, Policy policy) {
    this.open = Objects.requireNonNull(open, "open");
    this.close = Objects.requireNonNull(close, "close");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (open.equals(close)) {
      throw new IllegalArgumentException("send window opens and closes at the same time " + open);
    }
  }

  public static SendWindow of(LocalTime open, LocalTime close, Policy policy) {
    return new SendWindow(open, close, policy);
  }

  public LocalTime open() {
    return open;
  }

  public LocalTime close() {
    return close;
  }

  public Policy policy() {
    return policy;
  }

  public boolean isOpenAt(LocalTime t) {
    return open.isBefore(close)
        ? !t.isBefore(open) && t.isBefore(close)
        : !t.isBefore(open) || t.isBefore(close);
  }

  /**
   * The time a stall due at {@code millis} is sent: {@code millis} itself inside the window; outside
   * it {@link #DROPPED} (policy DROP) or the next opening (policy DEFER: the same day when before
   * the opening time, else the next day).
   */
  public long apply(long millis, ZoneId zone) {
    ZonedDateTime at = Instant.ofEpochMilli(millis).atZone(zone);
    LocalTime t = at.toLocalTime();
    if (isOpenAt(t)) {
      return millis;
    }
    if (policy == Policy.DROP) {
      return DROPPED;
    }
    LocalDate day = t.isBefore(open) ? at.toLocalDate() : at.toLocalDate().plusDays(1);
    return day.atTime(open).atZone(zone).toInstant().toEpochMilli();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SendWindow)) {
      return false;
    }
    SendWindow w = (SendWindow) o;
    return open.equals(w.open) && close.equals(w.close) && policy == w.policy;
  }

  @Override
  public int hashCode() {
    return Objects.hash(open, close, policy);
  }

  @Override
  public String toString() {
    return open + "-" + close + " " + policy;
  }
}
