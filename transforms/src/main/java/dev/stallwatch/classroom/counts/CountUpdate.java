package dev.stallwatch.classroom.counts;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One new state of an entity {@code id} (a student of C6, an order of C7), the input of {@link
 * RetractingCount}.
 *
 * <ul>
 *   <li>{@code group}: the group the entity now counts in (C6's hour and level, C7's consultant and
 *       date), or {@code null} when it counts nowhere (filtered out, deleted, cancelled).
 *   <li>{@code version}: the row's update time in ms, or any number that grows with the row's
 *       changes. {@code arrival} breaks ties at equal versions: the Kafka offset or the dump's line
 *       number. Of an id's updates, the one with the larger {@code (version, arrival)} is the
 *       latest ({@link #isNewerThan}); two updates with equal pairs are the same row (a replay or
 *       a duplicate), so they must carry the same group.
 *   <li>{@code expiresAt}: the event time (epoch ms) after which this entity's state may be
 *       dropped; {@link Long#MAX_VALUE} = never.
 * </ul>
 */
@DefaultCoder(CountUpdate.CountUpdateCoder.class)
public record CountUpdate(String id, String group, long version, long arrival, long expiresAt) implements Serializable {

  public CountUpdate {
    Objects.requireNonNull(id, "id");
  }

  /** An update that never expires. */
  public static CountUpdate of(String id, String group, long version, long arrival) {
    return new CountUpdate(id, group, version, arrival, Long.MAX_VALUE);
  }

  /** Whether this update is later than {@code other} by {@code (version, arrival)}; equal is not later. */
  public boolean isNewerThan(CountUpdate other) {
    return version != other.version ? version > other.version : arrival > other.arrival;
  }

  /** Coder of {@link CountUpdate}, the group nullable. Deterministic. */
  public static final class CountUpdateCoder extends AtomicCoder<CountUpdate> {
    private static final CountUpdateCoder INSTANCE = new CountUpdateCoder();

    public static CountUpdateCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CountUpdate u, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putString(u.id);
      if (u.group == null) {
        f.putLong(0);
      } else {
        f.putLong(1);
        f.putString(u.group);
      }
      f.putLong(u.version);
      f.putLong(u.arrival);
      f.putLong(u.expiresAt);
      f.writeTo(out);
    }

    @Override
    public CountUpdate decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      String id = f.getString();
      String group = f.getLong() == 0 ? null : f.getString();
      return new CountUpdate(id, group, f.getLong(), f.getLong(), f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
