package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stallwatch.domain.PeriodScope;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The audit table keeps one row per (EVENT_ID, MOBILE, EVENT_DATE): a config that can raise two
 * alerts for one such key would lose audit rows, so a job that writes the table refuses it.
 */
class AuditTableTest {
  private static final String TABLE = AuditTable.DEFAULT_TABLE;

  @Test
  void specDefaultsAndTheDayAndLifetimeScopesKeepOneRowPerAlert() {
    AuditTable.checkOneRowPerAlert(StallConfig.defaults(), TABLE);
    AuditTable.checkOneRowPerAlert(StallConfig.builder().oncePer(PeriodScope.lifetime()).build(), TABLE);
  }

  @Test
  void twoRoutesSharingAnEventIdAreRefused() {
    List<Route> routes = new ArrayList<>(StallConfig.defaultRoutes());
    routes.add(Route.of("cc2", "019-1", Route.DEFAULT_EVENT_NAME, false, "cc2_topic"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AuditTable.checkOneRowPerAlert(StallConfig.builder().routes(routes).build(), TABLE));
    assertEquals(
        "--config: routes cc and cc2 share eventId 019-1, but the audit table E_EVENT_FLOW_STREAM keeps one row"
            + " per (EVENT_ID, MOBILE, EVENT_DATE)",
        e.getMessage());
  }

  /** A fixed period counts from the epoch in UTC: even P1D can put two alerts on one local date. */
  @Test
  void everyFixedPeriodIsRefused() {
    for (Duration period : List.of(Duration.standardHours(6), Duration.standardDays(1), Duration.standardDays(2))) {
      StallConfig config = StallConfig.builder().oncePer(PeriodScope.fixed(period)).build();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AuditTable.checkOneRowPerAlert(config, "AUDIT"));
      assertEquals(
          "--config: oncePer: a fixed period ("
              + config.oncePer().describe()
              + ") can give a route two alerts for one mobile on one local date, but the audit table AUDIT keeps"
              + " one row per (EVENT_ID, MOBILE, EVENT_DATE); use day or lifetime",
          e.getMessage());
    }
  }
}
