package dev.stallwatch.pipeline.config;

import java.time.DateTimeException;
import java.time.ZoneId;

/** The one check of a time-zone name, for the config file and every option that takes one. */
public final class TimeZones {
  private TimeZones() {}

  /** The zone {@code id} names; an unknown name is an {@link IllegalArgumentException} saying so. */
  public static ZoneId check(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + id + "'");
    }
  }
}
