package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The dimensions as read at one time: the blacklist (with the existing customers) and the channel
 * names. What {@link RefreshedDimensions#loadOnce} gives a job that checks its tables at start,
 * with the number of rows each table gave ({@link #rows}; not part of {@link #equals}).
 */
public final class Dimensions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Blacklist blacklist;
  private final ChannelNames channels;
  private final LinkedHashMap<String, Long> rows;

  private Dimensions(Blacklist blacklist, ChannelNames channels, Map<String, Long> rows) {
    this.blacklist = blacklist;
    this.channels = channels;
    this.rows = new LinkedHashMap<>(rows);
  }

  public static Dimensions of(Blacklist blacklist, ChannelNames channels) {
    return new Dimensions(blacklist, channels, Map.of());
  }

  /** These dimensions, read from tables that gave {@code rows} rows each (by table name). */
  public Dimensions withRows(Map<String, Long> rows) {
    return new Dimensions(blacklist, channels, rows);
  }

  /** The rows each table gave, by table name; empty when not read from tables. */
  public Map<String, Long> rows() {
    return Collections.unmodifiableMap(rows);
  }

  public Blacklist blacklist() {
    return blacklist;
  }

  public ChannelNames channels() {
    return channels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dimensions
        && blacklist.equals(((Dimensions) o).blacklist)
        && channels.equals(((Dimensions) o).channels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blacklist, channels);
  }

  @Override
  public String toString() {
    return "Dimensions{" + blacklist + ", " + channels.asMap().size() + " channels}";
  }
}
