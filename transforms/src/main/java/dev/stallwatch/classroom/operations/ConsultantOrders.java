package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.counts.CountUpdate;
import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.counts.RetractingCount;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.Periods;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * C7 (CLASSROOM.md): confirmed orders per course consultant and local day, as counts that move both
 * ways. Each {@code data_pack_order_info} row becomes the order's {@link CountUpdate}: version =
 * {@code update_time}, arrival = its place in the topic, group {@code cc_id|yyyy-MM-dd} of its
 * {@code confirm_date_time} when that is set and {@code status} is 3, else none — so an order
 * confirmed and then cancelled (or refunded, or moved to another consultant) leaves its old day's
 * count, and a late older row changes nothing. {@code Confirmations} is {@link RetractingCount}.
 *
 * <p><b>Expiry.</b> An order's state is kept until the end of the later of its confirmation day and
 * its update's day, plus the allowed lateness; a row of the order arriving after that (in event
 * time) is counted as if the order were new. The default lateness is {@link #DEFAULT_LATENESS}.
 */
public final class ConsultantOrders extends PTransform<PCollection<OrderRow>, PCollection<GroupCount>> {
  /** How long after its day an order may still change its count by default. */
  public static final Duration DEFAULT_LATENESS = Duration.standardDays(7);

  private final String zoneId;
  private final Duration lateness;

  private ConsultantOrders(String zoneId, Duration lateness) {
    this.zoneId = zoneId;
    this.lateness = lateness;
  }

  public static ConsultantOrders of(String zoneId, Duration lateness) {
    ZoneId.of(zoneId);
    if (lateness == null || lateness.getMillis() < 0) {
      throw new IllegalArgumentException("the allowed lateness of C7 must not be negative");
    }
    return new ConsultantOrders(zoneId, lateness);
  }

  /** The group an order row counts in, or null. */
  public static String groupOf(OrderRow o, ZoneId zone) {
    return o.counts() ? group(o.ccId(), Periods.dayOf(o.confirmTime(), zone)) : null;
  }

  /** The group of a consultant and a day {@code yyyy-MM-dd}. */
  public static String group(String ccId, String day) {
    return ccId + "|" + day;
  }

  /** The consultant of a group. */
  public static String ccIdOf(String group) {
    return group.substring(0, group.lastIndexOf('|'));
  }

  /** The day {@code yyyy-MM-dd} of a group. */
  public static String dayOf(String group) {
    return group.substring(group.lastIndexOf('|') + 1);
  }

  @Override
  public PCollection<GroupCount> expand(PCollection<OrderRow> orders) {
    return orders
        .apply("OrderUpdates", ParDo.of(new ToUpdate(zoneId, lateness)))
        .setCoder(CountUpdate.CountUpdateCoder.of())
        .apply("Confirmations", RetractingCount.create("c7_"));
  }

  private static final class ToUpdate extends DoFn<OrderRow, CountUpdate> {
    private final String zoneId;
    private final Duration lateness;
    private transient ZoneId zone;

    ToUpdate(String zoneId, Duration lateness) {
      this.zoneId = zoneId;
      this.lateness = lateness;
    }

    @ProcessElement
    public void process(@Element OrderRow o, OutputReceiver<CountUpdate> out) {
      if (zone == null) {
        zone = ZoneId.of(zoneId);
      }
      long last = o.confirmTime() == null ? o.updateTime() : Math.max(o.confirmTime(), o.updateTime());
      long dayEnd =
          LocalDate.parse(Periods.dayOf(last, zone)).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
      out.output(new CountUpdate(o.id(), groupOf(o, zone), o.updateTime(), o.arrival(), dayEnd + lateness.getMillis()));
    }
  }
}
