package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.domain.Alert;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of the audit table (SPEC §5), in the order the upsert statements bind them. One list
 * drives every dialect's statement and the statement setter, so they cannot disagree; the DDL
 * scripts in this package's resources declare the same columns.
 */
enum AuditColumn {
  EVENT_ID(32, Alert::eventId),
  EVENT_NAME(200, Alert::eventName),
  FUND_ACC_NO(64, Alert::fundAccount),
  MOBILE(32, Alert::mobile),
  EVENT_DATE(8, Alert::occurDate),
  EVENT_TIME(8, Alert::occurTime),
  ROUTE(32, Alert::route),
  USER_ID(64, Alert::userId),
  CLIENT_NAME(100, Alert::clientName),
  REQUEST_NO(64, Alert::requestNo),
  CHANNEL_CODE(32, Alert::channelCode),
  CHANNEL_NAME(100, Alert::channelName),
  BRANCH_NO(32, Alert::branchNo),
  BUSINESS_FLAG_LAST(16, Alert::businessFlag),
  STEP_CODE(16, Alert::stepCode),
  STEP_NAME(100, Alert::stepName),
  RULE_NAME(64, Alert::rule),
  GAP_MINUTES(10, true, Alert::gapMinutes),
  LAST_ACTIVITY(19, Alert::lastActivity);

  /** SPEC §5's key: at most one row per route's event, mobile and occur date. */
  static final List<AuditColumn> KEY = List.of(EVENT_ID, MOBILE, EVENT_DATE);

  /** Characters for text columns, decimal digits for number columns. */
  final int size;

  private final boolean number;
  private final Function<Alert, Object> value;

  AuditColumn(int size, Function<Alert, Object> value) {
    this(size, false, value);
  }

  AuditColumn(int size, boolean number, Function<Alert, Object> value) {
    this.size = size;
    this.number = number;
    this.value = value;
  }

  boolean isNumber() {
    return number;
  }

  boolean isKey() {
    return KEY.contains(this);
  }

  /** The alert's value for this column: a String, or a Long for number columns. */
  Object value(Alert alert) {
    return value.apply(alert);
  }
}
