package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One row of topic {@value #TOPIC} (C6): a student and the channel it came through. {@code
 * channelId} is null when the row has none (the student's level is then {@code other}); C6 finds
 * the level by {@link LevelEntry#rowkeyOf}{@code (channelId)}. Only the latest row of an id counts
 * ({@link #latest}: by {@code updateTime}, epoch ms, then {@code arrival}, the Kafka offset or dump
 * line).
 */
@DefaultCoder(StudentRow.StudentRowCoder.class)
public record StudentRow(String id, String channelId, long updateTime, long arrival) implements Serializable {
  /** C6's student topic. */
  public static final String TOPIC = "uc_account-student";

  public StudentRow {
    Objects.requireNonNull(id, "id");
  }

  /** The later of two rows of one id, as {@link LevelEntry#latest} chooses. */
  public static StudentRow latest(StudentRow a, StudentRow b) {
    return compare(a, b) >= 0 ? a : b;
  }

  /** Orders rows of one id oldest first, as {@link #latest} chooses. */
  public static int compare(StudentRow a, StudentRow b) {
    return Versions.compare(
        a.updateTime, a.arrival, new String[] {a.id, a.channelId}, b.updateTime, b.arrival, new String[] {b.id, b.channelId});
  }

  /** Coder of {@link StudentRow}: one frame. */
  public static final class StudentRowCoder extends AtomicCoder<StudentRow> {
    private static final StudentRowCoder INSTANCE = new StudentRowCoder();

    public static StudentRowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(StudentRow r, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(Versions.bit(r.channelId, 0));
      f.putString(r.id);
      if (r.channelId != null) {
        f.putString(r.channelId);
      }
      f.putLong(r.updateTime);
      f.putLong(r.arrival);
      f.writeTo(out);
    }

    @Override
    public StudentRow decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      long m = f.getLong();
      String id = f.getString();
      String channel = Versions.has(m, 0) ? f.getString() : null;
      return new StudentRow(id, channel, f.getLong(), f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
