package dev.stallwatch.pipeline.jdbc;

import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * A table of rows by a text row key, written newer-wins (CLASSROOM.md C2, "Sinks"): what the
 * article kept in HBase and StallWatch keeps in a JDBC table ({@link JdbcKeyValueTable}), since no
 * HBase server runs where StallWatch is tested. The interface is what C2's writer and C6's level
 * lookup need of such a table, and no more, so another store could stand behind it.
 *
 * <p><b>Newer wins.</b> Each row carries a version (C2: its {@code update_time}). A written row
 * replaces the stored row of its key only when its version is at least the stored one's; a missing
 * key is inserted. So an older update that arrives after a newer one (a replay, a retried bundle, a
 * restored job, a late message) never overwrites it, and writing the same rows again leaves the
 * same table.
 */
public interface KeyValueTable extends Serializable {
  /** The table's name, as the database knows it. */
  String name();

  /**
   * The sink of rows of {@link #schema}: each replaces the stored row of its key only when its
   * version is at least the stored one's. Output: no elements, to wait on with {@code Wait.on}.
   */
  PTransform<PCollection<Row>, PCollection<Void>> writer();

  /** The rows' schema: the row key column, the version column and the others. */
  Schema schema();

  /** The row key column, a text that is never null. */
  String keyColumn();

  /** Every stored row by its row key, as rows of {@link #schema}, read now. */
  Map<String, Row> readAll();

  /** The stored row of {@code key}, or null when there is none. */
  Row get(String key);
}
