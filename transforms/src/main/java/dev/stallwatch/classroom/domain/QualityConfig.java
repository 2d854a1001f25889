package dev.stallwatch.classroom.domain;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;
import org.joda.time.Duration;

/**
 * The settings of the two quality jobs, C4 (recorded-course duration) and C5 (audio/video quality
 * per 30 seconds), decided once here with their defaults.
 *
 * <ul>
 *   <li>{@code zoneId}: the zone of every local time column (default {@code Asia/Shanghai}).
 *   <li>{@code courseIdle}: a (user, classroom) with no event for this long of event time is
 *       forgotten (default 1 day): its next event starts afresh, and its state is cleared.
 *   <li>{@code courseWatermarkBound}: how far the {@code qos_log} source's watermark trails the
 *       latest event time it has seen (default 60 s). Applied by the source in {@code pipeline/}.
 *   <li>{@code avLateness}: how long after a 30-second window's end a record still updates its row
 *       (default 0). The {@code agora_record} source must stamp a record later than this behind its
 *       watermark with the watermark, as the stall job's source does; {@code AvQuality} makes it a
 *       dead letter {@code late}.
 *   <li>{@code avWatermarkBound}: the {@code agora_record} source's bound (default 60 s, the
 *       article's {@code WITHOFFSET(messageCreateTime, 60000)}). Applied by the source.
 * </ul>
 *
 * C4's source runs with an allowed lateness of 0: a C4 row is final once the watermark passes its
 * success time, so no earlier event may come after that.
 */
public record QualityConfig(
    String zoneId,
    Duration courseIdle,
    Duration courseWatermarkBound,
    Duration avLateness,
    Duration avWatermarkBound)
    implements Serializable {

  /** C5's window: 30 seconds of event time (CLASSROOM.md C5; not configurable). */
  public static final Duration AV_WINDOW = Duration.standardSeconds(30);

  public QualityConfig {
    Objects.requireNonNull(zoneId, "zoneId");
    ZoneId.of(zoneId); // fails early on an unknown zone
    positive("courseIdle", courseIdle);
    notNegative("courseWatermarkBound", courseWatermarkBound);
    notNegative("avLateness", avLateness);
    notNegative("avWatermarkBound", avWatermarkBound);
  }

  /** Every default: Asia/Shanghai, 1 day idle, 60 s bounds, no lateness for C5. */
  public static QualityConfig defaults() {
    return new QualityConfig(
        "Asia/Shanghai",
        Duration.standardDays(1),
        Duration.standardSeconds(60),
        Duration.ZERO,
        Duration.standardSeconds(60));
  }

  public ZoneId zone() {
    return ZoneId.of(zoneId);
  }

  public QualityConfig withZoneId(String zone) {
    return new QualityConfig(zone, courseIdle, courseWatermarkBound, avLateness, avWatermarkBound);
  }

  public QualityConfig withCourseIdle(Duration idle) {
    return new QualityConfig(zoneId, idle, courseWatermarkBound, avLateness, avWatermarkBound);
  }

  public QualityConfig withCourseWatermarkBound(Duration bound) {
    return new QualityConfig(zoneId, courseIdle, bound, avLateness, avWatermarkBound);
  }

  public QualityConfig withAvLateness(Duration lateness) {
    return new QualityConfig(zoneId, courseIdle, courseWatermarkBound, lateness, avWatermarkBound);
  }

  public QualityConfig withAvWatermarkBound(Duration bound) {
    return new QualityConfig(zoneId, courseIdle, courseWatermarkBound, avLateness, bound);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.getMillis() <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, not " + d);
    }
  }

  private static void notNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.getMillis() < 0) {
      throw new IllegalArgumentException(name + ": must be at least 0, not " + d);
    }
  }
}
