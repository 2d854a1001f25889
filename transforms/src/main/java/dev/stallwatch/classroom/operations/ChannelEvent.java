package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * What C6's second stage, keyed by channel id, receives: a dictionary row of the channel ({@code
 * level} set), or a student's placement in the channel (its registration hour, or null when its
 * user row does not count), or a student leaving the channel for another. {@code seq} numbers one
 * student's placements: a larger one is newer.
 */
@DefaultCoder(ChannelEvent.ChannelEventCoder.class)
record ChannelEvent(LevelEntry level, String studentId, String hour, long seq, boolean leave, long expiresAt)
    implements Serializable {

  static ChannelEvent level(LevelEntry entry) {
    return new ChannelEvent(entry, null, null, 0, false, Long.MAX_VALUE);
  }

  static ChannelEvent placed(String studentId, String hour, long seq, long expiresAt) {
    return new ChannelEvent(null, studentId, hour, seq, false, expiresAt);
  }

  static ChannelEvent left(String studentId, long seq, long expiresAt) {
    return new ChannelEvent(null, studentId, null, seq, true, expiresAt);
  }

  /** Coder of {@link ChannelEvent}: a tag, then the dictionary row or the placement's fields. */
  static final class ChannelEventCoder extends AtomicCoder<ChannelEvent> {
    private static final LevelEntry.LevelEntryCoder LEVELS = LevelEntry.LevelEntryCoder.of();

    public static ChannelEventCoder of() {
      return new ChannelEventCoder();
    }

    @Override
    public void encode(ChannelEvent e, OutputStream out) throws IOException {
      if (e.level() != null) {
        out.write(0);
        LEVELS.encode(e.level(), out);
        return;
      }
      out.write(e.leave() ? 2 : e.hour() == null ? 3 : 1);
      StreamCodec.Frame f = StreamCodec.frame();
      f.putString(e.studentId());
      f.putString(e.hour() == null ? "" : e.hour());
      f.putLong(e.seq());
      f.putLong(e.expiresAt());
      f.writeTo(out);
    }

    @Override
    public ChannelEvent decode(InputStream in) throws IOException {
      int tag = in.read();
      if (tag == 0) {
        return ChannelEvent.level(LEVELS.decode(in));
      }
      if (tag < 1 || tag > 3) {
        throw new IOException("not a channel event: tag " + tag);
      }
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      String student = f.getString();
      String hour = f.getString();
      long seq = f.getLong();
      long expiresAt = f.getLong();
      return tag == 2 ? ChannelEvent.left(student, seq, expiresAt) : ChannelEvent.placed(student, tag == 3 ? null : hour, seq, expiresAt);
    }
  }
}
