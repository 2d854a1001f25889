package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One row of C2's level dictionary, from topic {@value #TOPIC}: a channel and its level. {@code
 * rowkey} is the table's row key, the lowercase hex MD5 of the UTF-8 {@code id} ({@link #rowkeyOf});
 * C6 finds a student's level by the MD5 of its {@code channel_id}. {@code updateTime} ({@code
 * update_time}) decides which row of an id is the latest ({@link #latest}): an older update that
 * arrives later does not replace a newer one. Times are epoch milliseconds; every field but {@code
 * id}, {@code rowkey}, {@code updateTime} and {@code arrival} is null when the message has none.
 * {@code arrival} orders rows of one id at equal {@code update_time} (the Kafka offset or the dump
 * line).
 */
@DefaultCoder(LevelEntry.LevelEntryCoder.class)
public record LevelEntry(
    String id,
    String rowkey,
    String chineseName,
    String englishName,
    String level,
    String pid,
    Long createTime,
    long updateTime,
    String deptId,
    long arrival)
    implements Serializable {

  /** C2's input topic. */
  public static final String TOPIC = "blink_stg_activity__channel_name_dictionary_da";

  /** The bucket of a level that is none of A, B, C, D, and of a channel the dictionary lacks. */
  public static final String OTHER = "other";

  public LevelEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rowkey, "rowkey");
  }

  /** The entry of {@code id} with its row key computed. */
  public static LevelEntry of(
      String id, String chineseName, String englishName, String level, String pid, Long createTime, long updateTime, String deptId, long arrival) {
    return new LevelEntry(id, rowkeyOf(id), chineseName, englishName, level, pid, createTime, updateTime, deptId, arrival);
  }

  /** The row key of {@code id}: the lowercase hex MD5 of its UTF-8 bytes (32 characters). */
  public static String rowkeyOf(String id) {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
    byte[] digest = md5.digest(id.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[32];
    for (int i = 0; i < 16; i++) {
      hex[2 * i] = Character.forDigit((digest[i] >> 4) & 0xF, 16);
      hex[2 * i + 1] = Character.forDigit(digest[i] & 0xF, 16);
    }
    return new String(hex);
  }

  /**
   * C6's bucket of a {@code level}: {@code A}, {@code B}, {@code C} or {@code D} when the level is
   * that one letter once trimmed and in upper case ({@code " b "} is {@code B}), else {@value
   * #OTHER} (null, blank, {@code AA}, {@code A+}, {@code E} included).
   */
  public static String bucket(String level) {
    if (level == null) {
      return OTHER;
    }
    String l = level.strip().toUpperCase(Locale.ROOT);
    return l.length() == 1 && l.charAt(0) >= 'A' && l.charAt(0) <= 'D' ? l : OTHER;
  }

  /** This entry's bucket: {@link #bucket}{@code (level)}. */
  public String bucket() {
    return bucket(level);
  }

  /**
   * The later of two rows of one id: the greater {@code updateTime}, then the greater {@code
   * arrival}, then (two rows the same in both) the greater fields' text, so that the winner never
   * depends on the order they are met in.
   */
  public static LevelEntry latest(LevelEntry a, LevelEntry b) {
    return compare(a, b) >= 0 ? a : b;
  }

  /** Orders rows of one id oldest first, as {@link #latest} chooses. */
  public static int compare(LevelEntry a, LevelEntry b) {
    return Versions.compare(a.updateTime, a.arrival, a.fields(), b.updateTime, b.arrival, b.fields());
  }

  private String[] fields() {
    return new String[] {id, chineseName, englishName, level, pid, Versions.text(createTime), deptId};
  }

  /** Coder of {@link LevelEntry}: one frame, a presence mask first for the nullable fields. */
  public static final class LevelEntryCoder extends AtomicCoder<LevelEntry> {
    private static final LevelEntryCoder INSTANCE = new LevelEntryCoder();

    public static LevelEntryCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LevelEntry e, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(
          Versions.bit(e.chineseName, 0)
              | Versions.bit(e.englishName, 1)
              | Versions.bit(e.level, 2)
              | Versions.bit(e.pid, 3)
              | Versions.bit(e.createTime, 4)
              | Versions.bit(e.deptId, 5));
      f.putString(e.id);
      f.putString(e.rowkey);
      putIf(f, e.chineseName);
      putIf(f, e.englishName);
      putIf(f, e.level);
      putIf(f, e.pid);
      if (e.createTime != null) {
        f.putLong(e.createTime);
      }
      f.putLong(e.updateTime);
      putIf(f, e.deptId);
      f.putLong(e.arrival);
      f.writeTo(out);
    }

    @Override
    public LevelEntry decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      long m = f.getLong();
      String id = f.getString();
      String rowkey = f.getString();
      String chinese = Versions.has(m, 0) ? f.getString() : null;
      String english = Versions.has(m, 1) ? f.getString() : null;
      String level = Versions.has(m, 2) ? f.getString() : null;
      String pid = Versions.has(m, 3) ? f.getString() : null;
      Long create = Versions.has(m, 4) ? f.getLong() : null;
      long update = f.getLong();
      String dept = Versions.has(m, 5) ? f.getString() : null;
      return new LevelEntry(id, rowkey, chinese, english, level, pid, create, update, dept, f.getLong());
    }

    private static void putIf(StreamCodec.Frame f, String value) {
      if (value != null) {
        f.putString(value);
      }
    }

    @Override
    public void verifyDeterministic() {}
  }
}
