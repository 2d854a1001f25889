package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.operations.ConsultantOrders;
import dev.stallwatch.classroom.operations.Registrations;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * The JDBC tables of the classroom family's updating counts (CLASSROOM.md C2, C6, C7): C2's level
 * dictionary ({@link JdbcKeyValueTable#levelDictionary}, default {@code channel_name_dictionary}),
 * C7's {@code staff_index} and, when C6 writes no search index, C6's documents as rows of {@code
 * vk_app_es_sign_csh}. Their DDL is shipped beside this class ({@code operations-mariadb.sql},
 * {@code operations-postgres.sql}, {@code operations-h2.sql}; the dictionary's in {@code
 * level-dictionary-*.sql}). Not on Oracle: {@code LEVEL} is a reserved word there.
 *
 * <p>Both count tables carry a {@code revision}, the count's number in its group's sequence of
 * changes, and are written with {@link UpsertTable#withNewerBy} on it: a count delivered after a
 * newer one of its group (a retried bundle, a restore from a checkpoint) never replaces it. C7's
 * upsert key is CLASSROOM.md's ({@code cc_id, type, attribution_time}); C6's is {@code uk}.
 */
public final class OperationsTables implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_LEVELS = JdbcKeyValueTable.DEFAULT_LEVEL_DICTIONARY;
  public static final String DEFAULT_REGISTRATIONS = "vk_app_es_sign_csh";
  public static final String DEFAULT_STAFF_INDEX = "staff_index";

  /** The {@code type} of every row C7 writes. */
  public static final int STAFF_TYPE = 1;

  /** C6's rows, the index document's fields and the revision. */
  public static final Schema REGISTRATIONS =
      Schema.builder()
          .addStringField("uk")
          .addInt64Field("reg_date")
          .addStringField("level")
          .addInt64Field("leads")
          .addInt64Field("revision")
          .build();

  public static final List<String> REGISTRATIONS_KEY = List.of("uk");

  /** C7's rows. */
  public static final Schema STAFF_INDEX =
      Schema.builder()
          .addStringField("cc_id")
          .addInt64Field("cc_index")
          .addInt32Field("type")
          .addStringField("attribution_time")
          .addNullableField("update_time", Schema.FieldType.DATETIME)
          .addInt64Field("revision")
          .build();

  public static final List<String> STAFF_INDEX_KEY = List.of("cc_id", "type", "attribution_time");

  private final String levels;
  private final String registrations;
  private final String staffIndex;

  private OperationsTables(String levels, String registrations, String staffIndex) {
    this.levels = SqlDialect.checkIdentifier(levels);
    this.registrations = SqlDialect.checkIdentifier(registrations);
    this.staffIndex = SqlDialect.checkIdentifier(staffIndex);
  }

  public static OperationsTables defaults() {
    return new OperationsTables(DEFAULT_LEVELS, DEFAULT_REGISTRATIONS, DEFAULT_STAFF_INDEX);
  }

  public OperationsTables withLevels(String name) {
    return new OperationsTables(name, registrations, staffIndex);
  }

  public OperationsTables withRegistrations(String name) {
    return new OperationsTables(levels, name, staffIndex);
  }

  public OperationsTables withStaffIndex(String name) {
    return new OperationsTables(levels, registrations, name);
  }

  public String levels() {
    return levels;
  }

  public String registrations() {
    return registrations;
  }

  public String staffIndex() {
    return staffIndex;
  }

  /** C2's dictionary in this database. */
  public JdbcKeyValueTable levelTable(JdbcSettings settings) {
    return JdbcKeyValueTable.levelDictionary(settings, levels);
  }

  /** The sink of C6's rows, newer by revision. */
  public UpsertTable registrationSink(JdbcSettings settings) {
    return UpsertTable.of(settings, registrations, REGISTRATIONS, REGISTRATIONS_KEY).withNewerBy("revision");
  }

  /** The sink of C7's rows, newer by revision. */
  public UpsertTable staffSink(JdbcSettings settings) {
    return UpsertTable.of(settings, staffIndex, STAFF_INDEX, STAFF_INDEX_KEY).withNewerBy("revision");
  }

  /** C2's row as {@link JdbcKeyValueTable#LEVEL_DICTIONARY} holds it. */
  public static Row levelRow(LevelEntry e) {
    return Row.withSchema(JdbcKeyValueTable.LEVEL_DICTIONARY)
        .addValues(
            e.rowkey(), e.id(), e.chineseName(), e.englishName(), e.level(), e.pid(),
            e.createTime() == null ? null : new Instant(e.createTime()), new Instant(e.updateTime()), e.deptId())
        .build();
  }

  /** C6's count as a row: {@code uk} = its group {@code yyyyMMddHH_LEVEL}. */
  public static Row registrationRow(GroupCount c) {
    return Row.withSchema(REGISTRATIONS)
        .addValues(
            c.group(), Long.parseLong(Registrations.hourOf(c.group())), Registrations.levelOf(c.group()), c.count(), c.revision())
        .build();
  }

  /** C7's count as a row; {@code update_time} is the event time of the change. */
  public static Row staffRow(GroupCount c, Instant updateTime) {
    return Row.withSchema(STAFF_INDEX)
        .addValues(
            ConsultantOrders.ccIdOf(c.group()), c.count(), STAFF_TYPE, ConsultantOrders.dayOf(c.group()), updateTime,
            c.revision())
        .build();
  }

  /** The shipped script's resource name for {@code dialect}, relative to this class. */
  public static String resource(SqlDialect dialect) {
    switch (dialect) {
      case MARIADB:
        return "operations-mariadb.sql";
      case POSTGRES:
        return "operations-postgres.sql";
      case H2:
        return "operations-h2.sql";
      case ORACLE:
      default:
        throw new IllegalArgumentException(
            "the classroom count tables (C2, C6, C7) are not shipped for " + dialect.optionName()
                + ": LEVEL is a reserved word of Oracle; use mariadb, postgres or h2");
    }
  }

  /** The CREATE TABLE statements of C6's and C7's tables under these names. */
  public Map<String, String> statements(SqlDialect dialect) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put(DEFAULT_REGISTRATIONS, registrations);
    names.put(DEFAULT_STAFF_INDEX, staffIndex);
    return TableScripts.renamed(TableScripts.shipped(resource(dialect)), resource(dialect), names);
  }

  /** Creates the dictionary and the two count tables where missing; answers the tables created. */
  public List<String> createMissing(JdbcSettings settings) throws SQLException {
    List<String> created = new ArrayList<>();
    if (levelTable(settings).createMissing()) {
      created.add(levels);
    }
    created.addAll(TableScripts.createMissing(settings, statements(settings.dialect())));
    return created;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OperationsTables t
        && levels.equals(t.levels) && registrations.equals(t.registrations) && staffIndex.equals(t.staffIndex);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(levels, registrations, staffIndex);
  }

  @Override
  public String toString() {
    return "OperationsTables{" + levels + ", " + registrations + ", " + staffIndex + "}";
  }
}
