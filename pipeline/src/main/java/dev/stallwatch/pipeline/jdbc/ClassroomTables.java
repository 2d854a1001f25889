package dev.stallwatch.pipeline.jdbc;

import java.io.Serializable;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The classroom family's JDBC tables (CLASSROOM.md C3, C4, C5): their names (each configurable),
 * the {@link Schema} of the rows {@link UpsertTable} writes to each, their upsert keys, and their
 * DDL, kept as classpath resources beside this class ({@code classroom-mariadb.sql}, {@code
 * classroom-postgres.sql}, {@code classroom-oracle.sql}, which H2 in Oracle mode runs too; {@code
 * src/sql/README.md} points at them).
 *
 * <p>Each table's primary key is its upsert key. C4's key includes {@code success_time}, the
 * {@code PPT_SUCCESS} event's time, which CLASSROOM.md's column list lacks: a user has one row per
 * success in a classroom. Times ({@code DATETIME} fields) are stored as text {@value
 * UpsertTable#TIME_PATTERN} in the zone the {@link UpsertTable} is given.
 */
public final class ClassroomTables implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_SIGNAL_ANALYSIS = "timeline_signal_analysis";
  public static final String DEFAULT_TAKE_TIME = "user_enter_classroom_take_time";
  public static final String DEFAULT_AV_RECORD = "user_av_record";

  /** C3's rows: signals per one-minute window. */
  public static final Schema SIGNAL_ANALYSIS =
      Schema.builder()
          .addDateTimeField("start_time")
          .addDateTimeField("end_time")
          .addStringField("webserver_id")
          .addStringField("user_id")
          .addStringField("role")
          .addStringField("event")
          .addInt64Field("event_count")
          .addNullableField("create_time", Schema.FieldType.DATETIME)
          .build();

  public static final List<String> SIGNAL_ANALYSIS_KEY =
      List.of("start_time", "webserver_id", "user_id", "role", "event");

  /** C4's rows: the time from a user's first event in a classroom to a PPT_SUCCESS. */
  public static final Schema TAKE_TIME =
      Schema.builder()
          .addStringField("user_id")
          .addStringField("classroom_id")
          .addNullableField("user_type", Schema.FieldType.STRING)
          .addInt64Field("spend_time")
          .addNullableField("event_time", Schema.FieldType.DATETIME)
          .addDateTimeField("success_time")
          .addNullableField("create_time", Schema.FieldType.DATETIME)
          .build();

  public static final List<String> TAKE_TIME_KEY = List.of("user_id", "classroom_id", "success_time");

  /** C5's rows: audio loss or video frame rate per 30-second window and stream. */
  public static final Schema AV_RECORD =
      Schema.builder()
          .addDateTimeField("start_time")
          .addDateTimeField("end_time")
          .addStringField("user_id")
          .addStringField("web_server_id")
          .addStringField("classroom_id")
          .addStringField("user_type")
          .addStringField("extra_uid")
          .addStringField("event")
          .addNullableField("event_sum", Schema.FieldType.DOUBLE)
          .addNullableField("event_avg", Schema.FieldType.DOUBLE)
          .addInt64Field("event_count")
          .addNullableField("create_time", Schema.FieldType.DATETIME)
          .build();

  public static final List<String> AV_RECORD_KEY =
      List.of(
          "start_time",
          "user_id",
          "web_server_id",
          "classroom_id",
          "user_type",
          "event",
          "extra_uid");

  private final String signalAnalysis;
  private final String takeTime;
  private final String avRecord;

  private ClassroomTables(String signalAnalysis, String takeTime, String avRecord) {
    this.signalAnalysis = SqlDialect.checkIdentifier(signalAnalysis);
    this.takeTime = SqlDialect.checkIdentifier(takeTime);
    this.avRecord = SqlDialect.checkIdentifier(avRecord);
  }

  /** The tables under their default names. */
  public static ClassroomTables defaults() {
    return new ClassroomTables(DEFAULT_SIGNAL_ANALYSIS, DEFAULT_TAKE_TIME, DEFAULT_AV_RECORD);
  }

  /** C3's table under another name, optionally {@code schema.table}. */
  public ClassroomTables withSignalAnalysis(String name) {
    return new ClassroomTables(name, takeTime, avRecord);
  }

  /** C4's table under another name. */
  public ClassroomTables withTakeTime(String name) {
    return new ClassroomTables(signalAnalysis, name, avRecord);
  }

  /** C5's table under another name. */
  public ClassroomTables withAvRecord(String name) {
    return new ClassroomTables(signalAnalysis, takeTime, name);
  }

  public String signalAnalysis() {
    return signalAnalysis;
  }

  public String takeTime() {
    return takeTime;
  }

  public String avRecord() {
    return avRecord;
  }

  /** The sink of C3's rows ({@link #SIGNAL_ANALYSIS}). */
  public UpsertTable signalAnalysisSink(JdbcSettings settings) {
    return UpsertTable.of(settings, signalAnalysis, SIGNAL_ANALYSIS, SIGNAL_ANALYSIS_KEY);
  }

  /** The sink of C4's rows ({@link #TAKE_TIME}). */
  public UpsertTable takeTimeSink(JdbcSettings settings) {
    return UpsertTable.of(settings, takeTime, TAKE_TIME, TAKE_TIME_KEY);
  }

  /** The sink of C5's rows ({@link #AV_RECORD}). */
  public UpsertTable avRecordSink(JdbcSettings settings) {
    return UpsertTable.of(settings, avRecord, AV_RECORD, AV_RECORD_KEY);
  }

  /** The script's resource name, relative to this class. */
  public static String resource(SqlDialect dialect) {
    switch (dialect) {
      case MARIADB:
        return "classroom-mariadb.sql";
      case POSTGRES:
        return "classroom-postgres.sql";
      case H2:
      case ORACLE:
      default:
        return "classroom-oracle.sql";
    }
  }

  /** The script of {@code dialect} as it is shipped (default table names). */
  public static String script(SqlDialect dialect) {
    return TableScripts.shipped(resource(dialect));
  }

  /** The script's CREATE TABLE statements by the table each creates, under these names. */
  public Map<String, String> statements(SqlDialect dialect) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put(DEFAULT_SIGNAL_ANALYSIS, signalAnalysis);
    names.put(DEFAULT_TAKE_TIME, takeTime);
    names.put(DEFAULT_AV_RECORD, avRecord);
    return TableScripts.renamed(script(dialect), resource(dialect), names);
  }

  /**
   * Creates those of the tables that do not exist yet and answers their names; existing tables are
   * left as they are.
   */
  public List<String> createMissing(JdbcSettings settings) throws SQLException {
    return TableScripts.createMissing(settings, statements(settings.dialect()));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ClassroomTables)) {
      return false;
    }
    ClassroomTables t = (ClassroomTables) o;
    return signalAnalysis.equals(t.signalAnalysis)
        && takeTime.equals(t.takeTime)
        && avRecord.equals(t.avRecord);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signalAnalysis, takeTime, avRecord);
  }

  @Override
  public String toString() {
    return "ClassroomTables{" + signalAnalysis + ", " + takeTime + ", " + avRecord + "}";
  }
}
