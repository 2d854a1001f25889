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
 * One row of topic {@value #TOPIC} (C6): a user account, its name, registration time and status
 * ({@link RegistrationFilter} decides whether it counts). Times are epoch milliseconds; {@code name},
 * {@code status} and {@code updateTime} are null when the row has none; {@code registerTime} is null
 * only in rows not read by {@code UserParser} (it makes a row without one a dead letter), and such a
 * row counts nowhere.
 *
 * <p>The contract gives this topic no {@code update_time}: the latest row of an id is the last to
 * arrive ({@code arrival}, the Kafka offset or dump line), as the article's {@code last_value}. When
 * a row carries an {@code update_time} anyway, it is kept as {@code updateTime} and wins over
 * arrival: of two rows with one each the later time is the latest, a row with one is later than a
 * row without, and arrival decides the rest ({@link #latest}). (A source that stopped sending
 * {@code update_time} would so keep its last timed row; none is known to.)
 */
@DefaultCoder(UserRow.UserRowCoder.class)
public record UserRow(String id, String name, Long registerTime, String status, Long updateTime, long arrival)
    implements Serializable {
  /** C6's user topic. */
  public static final String TOPIC = "uc_account-user";

  public UserRow {
    Objects.requireNonNull(id, "id");
  }

  /** A row without {@code update_time}, as the contract has them. */
  public UserRow(String id, String name, Long registerTime, String status, long arrival) {
    this(id, name, registerTime, status, null, arrival);
  }

  /** The later of two rows of one id: see the class comment; full ties by the fields' text. */
  public static UserRow latest(UserRow a, UserRow b) {
    return compare(a, b) >= 0 ? a : b;
  }

  /** Orders rows of one id oldest first, as {@link #latest} chooses. */
  public static int compare(UserRow a, UserRow b) {
    int c = Boolean.compare(a.updateTime != null, b.updateTime != null);
    if (c != 0) {
      return c;
    }
    return Versions.compare(
        a.updateTime == null ? 0 : a.updateTime, a.arrival, a.fields(), b.updateTime == null ? 0 : b.updateTime, b.arrival, b.fields());
  }

  private String[] fields() {
    return new String[] {id, name, Versions.text(registerTime), status};
  }

  /** Coder of {@link UserRow}: one frame, a presence mask first for the nullable fields. */
  public static final class UserRowCoder extends AtomicCoder<UserRow> {
    private static final UserRowCoder INSTANCE = new UserRowCoder();

    public static UserRowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(UserRow r, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(Versions.bit(r.name, 0) | Versions.bit(r.registerTime, 1) | Versions.bit(r.status, 2) | Versions.bit(r.updateTime, 3));
      f.putString(r.id);
      if (r.name != null) {
        f.putString(r.name);
      }
      if (r.registerTime != null) {
        f.putLong(r.registerTime);
      }
      if (r.status != null) {
        f.putString(r.status);
      }
      if (r.updateTime != null) {
        f.putLong(r.updateTime);
      }
      f.putLong(r.arrival);
      f.writeTo(out);
    }

    @Override
    public UserRow decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      long m = f.getLong();
      String id = f.getString();
      String name = Versions.has(m, 0) ? f.getString() : null;
      Long register = Versions.has(m, 1) ? f.getLong() : null;
      String status = Versions.has(m, 2) ? f.getString() : null;
      Long update = Versions.has(m, 3) ? f.getLong() : null;
      return new UserRow(id, name, register, status, update, f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
