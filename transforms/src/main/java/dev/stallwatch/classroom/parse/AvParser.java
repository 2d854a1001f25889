package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.AvSample;
import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@code agora_record} message (CLASSROOM.md C5) into its audio and video {@link
 * AvSample}s, by the common reading rules of {@link JsonRecord}; {@code agora_audioState} and
 * {@code agora_videoState} may be objects or strings holding JSON.
 *
 * <ol>
 *   <li>Not a JSON object: a dead letter.
 *   <li>{@code user_type} not {@code student} (compared ignoring case; missing is not student):
 *       ignored, whatever else the message holds. The row's {@code user_type} is {@code student}.
 *   <li>{@code messageCreateTime} missing or unusable: a dead letter.
 *   <li>Key fields: {@code user_id}, {@code agora_channel_id} and each state's {@code uid} are whole
 *       numbers (BIGINT columns), {@code classroom_id} and {@code event} text; a missing one is
 *       {@code -1} (text {@code "-1"}); one that is there but not a whole number is a dead letter.
 *   <li>Audio: {@code agora_audioState.lost >= 0}; video: {@code agora_videoState.fr >= 0}; a
 *       negative value (the producer's {@code -1} for "no measure") or a missing one gives no
 *       sample; a value that is not a whole number is a dead letter. A message with neither sample
 *       is ignored.
 * </ol>
 */
public final class AvParser implements Serializable {
  /** The only {@code user_type} C5 counts. */
  public static final String STUDENT = "student";

  private final String zoneId;
  private transient ZoneId zone;

  public AvParser(ZoneId zone) {
    this.zoneId = zone.getId();
    this.zone = zone;
  }

  /**
   * What one message gives: its samples (none when ignored or bad) with its event time, or why it
   * is ignored, or why it is a dead letter.
   */
  public record Parsed(List<AvSample> samples, long timeMillis, String ignored, String bad) {
    public boolean isBad() {
      return bad != null;
    }

    public boolean isIgnored() {
      return ignored != null;
    }
  }

  public Parsed parse(Message message) {
    try {
      return read(message.value());
    } catch (IllegalArgumentException e) {
      return new Parsed(List.of(), 0, null, e.getMessage());
    }
  }

  private Parsed read(String text) {
    if (zone == null) {
      zone = ZoneId.of(zoneId);
    }
    JsonRecord root = JsonRecord.parse(text);
    String userType = root.text("user_type");
    if (userType == null || !STUDENT.equalsIgnoreCase(userType)) {
      return new Parsed(List.of(), 0, "user_type: not student", null);
    }
    long time = root.time("messageCreateTime", zone);
    long userId = wholeOrMissing(root, "user_id");
    long channelId = wholeOrMissing(root, "agora_channel_id");
    String classroom = textOrMissing(root, "classroom_id");
    String event = textOrMissing(root, "event");
    List<AvSample> samples = new ArrayList<>(2);
    JsonRecord audio = root.object("agora_audioState");
    if (audio != null) {
      Long lost = audio.whole("lost");
      if (lost != null && lost >= 0) {
        AvSample.Key key =
            new AvSample.Key(userId, channelId, classroom, STUDENT, event + AvSample.AUDIO, wholeOrMissing(audio, "uid"));
        samples.add(new AvSample(key, lost, time));
      }
    }
    JsonRecord video = root.object("agora_videoState");
    if (video != null) {
      Long fr = video.whole("fr");
      if (fr != null && fr >= 0) {
        AvSample.Key key =
            new AvSample.Key(userId, channelId, classroom, STUDENT, event + AvSample.VIDEO, wholeOrMissing(video, "uid"));
        samples.add(new AvSample(key, fr, time));
      }
    }
    if (samples.isEmpty()) {
      return new Parsed(List.of(), time, "no sample: no agora_audioState.lost or agora_videoState.fr of 0 or more", null);
    }
    return new Parsed(List.copyOf(samples), time, null, null);
  }

  private static long wholeOrMissing(JsonRecord r, String name) {
    Long v = r.whole(name);
    return v == null ? AvSample.MISSING : v;
  }

  private static String textOrMissing(JsonRecord r, String name) {
    String v = r.text(name);
    return v == null || Text.isBlank(v) ? Long.toString(AvSample.MISSING) : v;
  }
}
