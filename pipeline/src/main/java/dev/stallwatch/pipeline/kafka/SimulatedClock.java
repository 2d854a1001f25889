package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.pipeline.options.ClockOptions;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.joda.time.Instant;

/**
 * The clock event time is measured against. In production it is the wall clock. For a replay it is
 * a simulated clock that read {@code start} at wall time {@code anchorMillis} and runs {@code speed}
 * times faster than the wall clock, so a generated trading day can be streamed in a minute and the
 * job's idle-partition watermark (now minus the out-of-orderness bound) follows the simulated day,
 * not the real one. The generator and the job's timestamp policy share one such clock by value: it
 * is three numbers, the same in every JVM.
 *
 * <p>A replay whose last hours matter less may run faster from a moment on ({@link #fasterFrom}):
 * the clock is then two straight pieces, joined at that moment, and still a value.
 */
public final class SimulatedClock implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final SimulatedClock SYSTEM = new SimulatedClock(0, 0, 1.0);

  private final long startMillis;
  private final long anchorMillis;
  private final double speed;
  /** The simulated time from which {@link #laterSpeed} holds; {@code Long.MAX_VALUE} for one speed throughout. */
  private final long shiftMillis;
  private final double laterSpeed;

  private SimulatedClock(long startMillis, long anchorMillis, double speed) {
    this(startMillis, anchorMillis, speed, Long.MAX_VALUE, speed);
  }

  private SimulatedClock(long startMillis, long anchorMillis, double speed, long shiftMillis, double laterSpeed) {
    this.startMillis = startMillis;
    this.anchorMillis = anchorMillis;
    this.speed = speed;
    this.shiftMillis = shiftMillis;
    this.laterSpeed = laterSpeed;
  }

  /** The wall clock. */
  public static SimulatedClock system() {
    return SYSTEM;
  }

  /** A clock that reads {@code start} at wall time {@code anchorMillis}, {@code speed} times faster. */
  /**
   * The clock {@code options} describe for a job in {@code zone}: the wall clock unless {@code
   * --simulatedStart} is given.
   */
  public static SimulatedClock from(ClockOptions options, ZoneId zone) {
    if (!(options.getSimulatedSpeed() > 0)) {
      throw new IllegalArgumentException("--simulatedSpeed: must be a positive number, not " + options.getSimulatedSpeed());
    }
    if (options.getSimulatedStart() == null || options.getSimulatedStart().isEmpty()) {
      return system();
    }
    LocalDateTime start;
    try {
      start = LocalDateTime.parse(options.getSimulatedStart());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--simulatedStart: expected yyyy-MM-ddTHH:mm:ss, not '" + options.getSimulatedStart() + "'");
    }
    long anchor = options.getSimulatedAnchor() == 0 ? System.currentTimeMillis() : options.getSimulatedAnchor();
    return of(new Instant(start.atZone(zone).toInstant().toEpochMilli()), anchor, options.getSimulatedSpeed());
  }

  public static SimulatedClock of(Instant start, long anchorMillis, double speed) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("a clock's speed must be a positive number, not " + speed);
    }
    return new SimulatedClock(start.getMillis(), anchorMillis, speed);
  }

  /**
   * This clock until it reads {@code from}, then {@code laterSpeed} times faster than the wall
   * clock: the same time at every wall moment before, no jump at {@code from}.
   */
  public SimulatedClock fasterFrom(Instant from, double laterSpeed) {
    if (!(laterSpeed > 0) || Double.isInfinite(laterSpeed)) {
      throw new IllegalArgumentException("a clock's speed must be a positive number, not " + laterSpeed);
    }
    if (isSystem() || shiftMillis != Long.MAX_VALUE) {
      throw new IllegalStateException("only a simulated clock of one speed can run faster from a moment on: " + this);
    }
    return new SimulatedClock(startMillis, anchorMillis, speed, from.getMillis(), laterSpeed);
  }

  public boolean isSystem() {
    return speed == 1.0 && startMillis == anchorMillis && shiftMillis == Long.MAX_VALUE;
  }

  /** The simulated time now. */
  public Instant now() {
    return new Instant(simulatedAt(System.currentTimeMillis()));
  }

  /** The simulated time at wall time {@code wallMillis}. */
  public long simulatedAt(long wallMillis) {
    long simulated = startMillis + Math.round((wallMillis - anchorMillis) * speed);
    if (simulated <= shiftMillis) {
      return simulated;
    }
    return shiftMillis + Math.round((wallMillis - firstWallAt(shiftMillis)) * laterSpeed);
  }

  /** The wall time at which this clock reads {@code simulatedMillis}. */
  public long wallAt(long simulatedMillis) {
    if (simulatedMillis <= shiftMillis) {
      return firstWallAt(simulatedMillis);
    }
    return firstWallAt(shiftMillis) + Math.round((simulatedMillis - shiftMillis) / laterSpeed);
  }

  private long firstWallAt(long simulatedMillis) {
    return anchorMillis + Math.round((simulatedMillis - startMillis) / speed);
  }

  /** Sleeps until this clock reads {@code simulatedMillis} (at once if it already has). */
  public void sleepUntil(long simulatedMillis) throws InterruptedException {
    long wait = wallAt(simulatedMillis) - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  @Override
  public String toString() {
    if (isSystem()) {
      return "wall clock";
    }
    String text = String.format("simulated from %s at %.0fx", new Instant(startMillis), speed);
    return shiftMillis == Long.MAX_VALUE ? text : text + String.format(", %.0fx from %s", laterSpeed, new Instant(shiftMillis));
  }
}
