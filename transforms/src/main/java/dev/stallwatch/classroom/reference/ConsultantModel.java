package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.Periods;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * C7 (CLASSROOM.md) in plain Java, over every order row at once: per id the latest row (by {@code
 * update_time}, then arrival) counts for its {@code cc_id} on the local date of its {@code
 * confirm_date_time} when that is set and {@code status} is 3. Answers {@code cc_index} per group
 * * {@code cc_id|yyyy-MM-dd}, groups with none left out.
 */
public final class ConsultantModel {
  private ConsultantModel() {}

  public static Map<String, Long> confirmations(List<OrderRow> orders, ZoneId zone) {
    Map<String, OrderRow> latest = new HashMap<>();
    for (OrderRow o : orders) {
      latest.merge(o.id(), o, OrderRow::latest);
    }
    Map<String, Long> counts = new TreeMap<>();
    for (OrderRow o : latest.values()) {
      Integer status = o.status();
      if (o.confirmTime() != null && status != null && status == 3 && o.ccId() != null) {
        counts.merge(o.ccId() + "|" + Periods.dayOf(o.confirmTime(), zone), 1L, Long::sum);
      }
    }
    return counts;
  }
}
