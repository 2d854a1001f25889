package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One audio or video sample of C5 taken from an {@code agora_record} message: its window key, its
 * value ({@code agora_audioState.lost} or {@code agora_videoState.fr}, never negative) and its
 * event time ({@code messageCreateTime}, epoch ms). One message gives up to two samples, one of
 * each kind.
 */
public record AvSample(Key key, long value, long timeMillis) implements Serializable {
  /** The suffix of an audio sample's event: {@code event + "_AUDIO_STATE"}, as the article's CONCAT. */
  public static final String AUDIO = "_AUDIO_STATE";

  /** The suffix of a video sample's event. */
  public static final String VIDEO = "_VIDEO_STATE";

  /** What a missing key field becomes (CLASSROOM.md C5, the article's {@code CASE WHEN ... NULL THEN -1}). */
  public static final long MISSING = -1;

  public AvSample {
    Objects.requireNonNull(key, "key");
  }

  /**
   * The window key of C5 besides the window: (user_id, agora_channel_id, classroom_id, user_type,
   * event, uid). {@code event} is the message's {@code event} with the sample's suffix ({@code
   * -1_AUDIO_STATE} when the message has none), so that an audio and a video row of the same
   * window never share an upsert key.
   */
  public record Key(long userId, long channelId, String classroomId, String userType, String event, long uid)
      implements Serializable {
    public Key {
      Objects.requireNonNull(classroomId, "classroomId");
      Objects.requireNonNull(userType, "userType");
      Objects.requireNonNull(event, "event");
    }

    void write(StreamCodec.Frame f) {
      f.putLong(userId);
      f.putLong(channelId);
      f.putString(classroomId);
      f.putString(userType);
      f.putString(event);
      f.putLong(uid);
    }

    static Key read(StreamCodec.Frame f) throws IOException {
      return new Key(f.getLong(), f.getLong(), f.getString(), f.getString(), f.getString(), f.getLong());
    }
  }

  /** Coder of {@link Key}: one frame; deterministic, so it may key a grouping. */
  public static final class KeyCoder extends AtomicCoder<Key> {
    private static final KeyCoder INSTANCE = new KeyCoder();

    public static KeyCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Key k, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      k.write(f);
      f.writeTo(out);
    }

    @Override
    public Key decode(InputStream in) throws IOException {
      return Key.read(StreamCodec.readFrame(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder of {@link AvSample}: one frame. */
  public static final class AvSampleCoder extends AtomicCoder<AvSample> {
    private static final AvSampleCoder INSTANCE = new AvSampleCoder();

    public static AvSampleCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(AvSample s, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      s.key.write(f);
      f.putLong(s.value);
      f.putLong(s.timeMillis);
      f.writeTo(out);
    }

    @Override
    public AvSample decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new AvSample(Key.read(f), f.getLong(), f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
