package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.RegistrationFilter;
import dev.stallwatch.classroom.operations.ConsultantOrders;
import dev.stallwatch.classroom.domain.SignalRules;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.pipeline.config.TimeZones;
import dev.stallwatch.pipeline.options.ClassroomOptions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;

/**
 * The settings of the classroom jobs, decided once from the command line: C1 and C3's {@link
 * SignalsConfig}, C4 and C5's {@link QualityConfig}, C6 and C7's {@link Counts}. The watermark bounds given here are the
 * streaming source's; a backfill reads them but has no use for them.
 */
public record ClassroomConfig(SignalsConfig signals, QualityConfig quality, Counts counts) implements Serializable {

  /** The four streaming-analytics jobs' settings, with C6's and C7's defaults. */
  public ClassroomConfig(SignalsConfig signals, QualityConfig quality) {
    this(signals, quality, Counts.defaults());
  }

  /**
   * C6's and C7's settings: C6's name and status filter and how long a student's state is kept
   * (null: for good), C7's allowed lateness after an order's day.
   */
  public record Counts(RegistrationFilter filter, Duration registrationTtl, Duration orderLateness) implements Serializable {
    public static Counts defaults() {
      return new Counts(RegistrationFilter.defaults(), null, ConsultantOrders.DEFAULT_LATENESS);
    }
  }

  /** CLASSROOM.md's defaults. */
  public static ClassroomConfig defaults() {
    return new ClassroomConfig(SignalsConfig.defaults(), QualityConfig.defaults());
  }

  /**
   * The settings {@code options} give, with CLASSROOM.md's watermark bounds.
   *
   * @throws IllegalArgumentException in one line naming the option, for an unknown zone or a rules
   *     file that cannot be read or parsed
   */
  public static ClassroomConfig from(ClassroomOptions options) {
    return from(options, SignalsConfig.DEFAULT_WATERMARK_BOUND, QualityConfig.defaults().courseWatermarkBound(),
        QualityConfig.defaults().avWatermarkBound());
  }

  /** The settings {@code options} give, with these watermark bounds for C1/C3, C4 and C5. */
  public static ClassroomConfig from(
      ClassroomOptions options, Duration signalBound, Duration courseBound, Duration avBound) {
    String zone;
    try {
      zone = options.getTimeZone() == null ? SignalsConfig.DEFAULT_ZONE : TimeZones.check(options.getTimeZone()).getId();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--timeZone: " + e.getMessage());
    }
    SignalRules rules = options.getSignalRules() == null ? SignalRules.defaults() : rules(options.getSignalRules());
    SignalsConfig signals =
        SignalsConfig.builder()
            .zoneId(zone)
            .rules(rules)
            .allowedLateness(Duration.standardSeconds(options.getSignalLateness()))
            .watermarkBound(signalBound)
            .build();
    QualityConfig quality =
        QualityConfig.defaults()
            .withZoneId(zone)
            .withCourseIdle(Duration.standardSeconds(options.getCourseIdle()))
            .withCourseWatermarkBound(courseBound)
            .withAvLateness(Duration.standardSeconds(options.getAvLateness()))
            .withAvWatermarkBound(avBound);
    RegistrationFilter filter =
        new RegistrationFilter(
            list(options.getRegistrationNameContains()), list(options.getRegistrationNamePrefixes()),
            options.getRegistrationStatus().trim());
    Duration ttl = options.getRegistrationTtl() == 0 ? null : Duration.standardSeconds(options.getRegistrationTtl());
    Counts counts = new Counts(filter, ttl, Duration.standardSeconds(options.getOrderLateness()));
    return new ClassroomConfig(signals, quality, counts);
  }

  /** A comma-separated list, its items trimmed, empty ones left out. */
  static List<String> list(String commaSeparated) {
    List<String> items = new ArrayList<>();
    for (String item : (commaSeparated == null ? "" : commaSeparated).split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  private static SignalRules rules(String file) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--signalRules: cannot read " + file + ": " + e.getMessage());
    }
    try {
      return SignalRules.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--signalRules: " + file + ": " + e.getMessage());
    }
  }
}
