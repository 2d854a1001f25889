package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.OrderRow;
import java.time.ZoneId;

/**
 * Reads a {@code data_pack_order_info} message (CLASSROOM.md C7) into an {@link OrderRow}, by the
 * common reading rules of {@link JsonRecord}; its {@code arrival} is {@link Arrival#of} the
 * message's origin.
 *
 * <p>C7 needs, in this order: {@code id} (text; a number as written) and {@code update_time} (epoch
 * ms or a SPEC time: it decides which row of an id counts); then, when they are there, {@code
 * confirm_date_time} (the day it counts in) and {@code status} (a whole number, given as a number or
 * as text: {@code 3} and {@code "3"} are confirmed) must be usable. The first missing or unusable
 * one is the dead letter's reason.
 *
 * <p>A missing (or blank) {@code cc_id}, {@code confirm_date_time} or {@code status} is no dead
 * letter: the row is a real state of the order — not yet assigned to a consultant, not confirmed —
 * that counts nowhere ({@link OrderRow#counts()}), and as its id's latest row it must still take
 * the order out of the count an older row put it in. {@code student_id} and {@code order_id} are
 * carried (null when missing). {@code canceled_date_time} is carried but no job reads it: missing or
 * unusable, it is null rather than losing the row (as C4's {@code pptIndex}). The other fields of
 * the contract ({@code leads_flow_event_id}, {@code group_id}, {@code leads_id}, {@code
 * create_time}, {@code order_create_time}, {@code apply_refund_date}) are not read. No well-formed
 * message is ignored.
 */
public final class OrderParser extends RowParser<OrderRow> {
  public OrderParser(ZoneId zone) {
    super(zone);
  }

  @Override
  protected OrderRow read(JsonRecord r, long arrival, ZoneId zone) {
    String id = Fields.needed(r, "id");
    long updateTime = r.time("update_time", zone);
    Long confirmTime = Fields.optionalTime(r, "confirm_date_time", zone);
    Integer status = status(r);
    Long canceledTime;
    try {
      canceledTime = Fields.optionalTime(r, "canceled_date_time", zone);
    } catch (IllegalArgumentException e) {
      canceledTime = null; // carried only: an unusable one does not lose the row
    }
    return new OrderRow(
        id,
        Fields.optional(r, "cc_id"),
        Fields.optional(r, "student_id"),
        Fields.optional(r, "order_id"),
        confirmTime,
        canceledTime,
        status,
        updateTime,
        arrival);
  }

  private static Integer status(JsonRecord r) {
    Long s = r.whole("status");
    if (s == null) {
      return null;
    }
    if (s < Integer.MIN_VALUE || s > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(r.where("status") + ": not a whole number: '" + s + "'");
    }
    return (int) (long) s;
  }
}
