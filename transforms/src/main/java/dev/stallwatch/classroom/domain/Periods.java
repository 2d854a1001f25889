package dev.stallwatch.classroom.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The local periods C6 and C7 count by: the registration hour {@code yyyyMMddHH} of C6 (its
 * document id {@code uk} = hour {@code _} level, its {@code reg_date} the hour as a number) and the
 * confirmation date {@code yyyy-MM-dd} of C7 ({@code attribution_time}), in the configured zone.
 */
public final class Periods {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private Periods() {}

  /** The local hour of {@code registerTime} (epoch ms) in {@code zone}: {@code 2024031908}. */
  public static String hourOf(long registerTime, ZoneId zone) {
    return HOUR.format(Instant.ofEpochMilli(registerTime).atZone(zone));
  }

  /** The local date of {@code confirmTime} (epoch ms) in {@code zone}: {@code 2024-03-19}. */
  public static String dayOf(long confirmTime, ZoneId zone) {
    return DAY.format(Instant.ofEpochMilli(confirmTime).atZone(zone));
  }

  /** C6's document id {@code uk}: {@code yyyyMMddHH_LEVEL} ({@code 2024031908_A}, {@code 2024031908_other}). */
  public static String documentId(String hour, String level) {
    return hour + "_" + level;
  }
}
