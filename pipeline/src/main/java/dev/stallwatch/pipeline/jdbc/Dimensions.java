package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import java.io.Serializable;
import java.util.Objects;

/**
 * The dimensions as read at one time: the blacklist (with the existing customers) and the channel
 * names. What {@link RefreshedDimensions#loadOnce} gives a job that checks its tables at start.
 */
public final class Dimensions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Blacklist blacklist;
  private final ChannelNames channels;

  private Dimensions(Blacklist blacklist, ChannelNames channels) {
    this.blacklist = blacklist;
    this.channels = channels;
  }

  public static Dimensions of(Blacklist blacklist, ChannelNames channels) {
    return new Dimensions(blacklist, channels);
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
