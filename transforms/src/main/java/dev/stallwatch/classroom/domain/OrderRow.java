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
 * One row of topic {@value #TOPIC} (C7): an order of a student, the course consultant ({@code
 * ccId}) it is attributed to, when it was confirmed and cancelled, and its status. Times are epoch
 * milliseconds; every field but {@code id}, {@code updateTime} and {@code arrival} is null when the
 * row has none. Only the latest row of an id counts ({@link #latest}: by {@code updateTime}, then
 * {@code arrival}, the Kafka offset or dump line), and it counts ({@link #counts}) when it is
 * confirmed ({@code confirmTime} set, {@code status} {@value #CONFIRMED}) and has a consultant.
 */
@DefaultCoder(OrderRow.OrderRowCoder.class)
public record OrderRow(
    String id,
    String ccId,
    String studentId,
    String orderId,
    Long confirmTime,
    Long canceledTime,
    Integer status,
    long updateTime,
    long arrival)
    implements Serializable {
  /** C7's input topic. */
  public static final String TOPIC = "data_pack_order_info";

  /** The {@code status} of a confirmed order. */
  public static final int CONFIRMED = 3;

  public OrderRow {
    Objects.requireNonNull(id, "id");
  }

  /**
   * Whether this row, as its id's latest, counts in C7's {@code cc_index}: confirmed ({@code
   * confirm_date_time} set and {@code status = 3}) and with a {@code cc_id} to count for. A
   * latest row that does not count still replaces an older one that did (the count goes down).
   */
  public boolean counts() {
    return confirmTime != null && status != null && status == CONFIRMED && ccId != null;
  }

  /** The later of two rows of one id, as {@link LevelEntry#latest} chooses. */
  public static OrderRow latest(OrderRow a, OrderRow b) {
    return compare(a, b) >= 0 ? a : b;
  }

  /** Orders rows of one id oldest first, as {@link #latest} chooses. */
  public static int compare(OrderRow a, OrderRow b) {
    return Versions.compare(a.updateTime, a.arrival, a.fields(), b.updateTime, b.arrival, b.fields());
  }

  private String[] fields() {
    return new String[] {
      id, ccId, studentId, orderId, Versions.text(confirmTime), Versions.text(canceledTime), Versions.text(status)
    };
  }

  /** Coder of {@link OrderRow}: one frame, a presence mask first for the nullable fields. */
  public static final class OrderRowCoder extends AtomicCoder<OrderRow> {
    private static final OrderRowCoder INSTANCE = new OrderRowCoder();

    public static OrderRowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(OrderRow r, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(
          Versions.bit(r.ccId, 0)
              | Versions.bit(r.studentId, 1)
              | Versions.bit(r.orderId, 2)
              | Versions.bit(r.confirmTime, 3)
              | Versions.bit(r.canceledTime, 4)
              | Versions.bit(r.status, 5));
      f.putString(r.id);
      if (r.ccId != null) {
        f.putString(r.ccId);
      }
      if (r.studentId != null) {
        f.putString(r.studentId);
      }
      if (r.orderId != null) {
        f.putString(r.orderId);
      }
      if (r.confirmTime != null) {
        f.putLong(r.confirmTime);
      }
      if (r.canceledTime != null) {
        f.putLong(r.canceledTime);
      }
      if (r.status != null) {
        f.putLong(r.status);
      }
      f.putLong(r.updateTime);
      f.putLong(r.arrival);
      f.writeTo(out);
    }

    @Override
    public OrderRow decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      long m = f.getLong();
      String id = f.getString();
      String cc = Versions.has(m, 0) ? f.getString() : null;
      String student = Versions.has(m, 1) ? f.getString() : null;
      String order = Versions.has(m, 2) ? f.getString() : null;
      Long confirm = Versions.has(m, 3) ? f.getLong() : null;
      Long canceled = Versions.has(m, 4) ? f.getLong() : null;
      Integer status = Versions.has(m, 5) ? (int) f.getLong() : null;
      return new OrderRow(id, cc, student, order, confirm, canceled, status, f.getLong(), f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
