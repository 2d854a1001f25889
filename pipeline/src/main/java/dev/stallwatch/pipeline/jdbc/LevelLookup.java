package dev.stallwatch.pipeline.jdbc;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.values.Row;

/**
 * The levels of C2's dictionary (CLASSROOM.md C2, C6): {@code rowkey} (the lowercase
 * hex MD5 of a channel's {@code id}) to its {@code level}, read from a {@link KeyValueTable} such
 * as {@link JdbcKeyValueTable#levelDictionary}, the level as stored (bucketing it into {@code
 * A}..{@code D} or {@code other} is C6's business). A row without a level is left out.
 *
 * <p>{@link #levels} reads the map once: the embedded default's final check, a test's
 * expectation. C6 itself does not look levels up here: it joins C2's stream in state
 * (docs/CLASSROOM-COUNTS.md), so a level that changes moves the students already counted.
 */
public final class LevelLookup {
  private LevelLookup() {}

  /** The level column of C2's dictionary. */
  public static final String LEVEL_COLUMN = "level";

  /** Every row key of {@code table} with a level, to that level, read now. */
  public static Map<String, String> levels(KeyValueTable table) {
    Map<String, String> levels = new HashMap<>();
    for (Map.Entry<String, Row> e : table.readAll().entrySet()) {
      String level = e.getValue().getString(LEVEL_COLUMN);
      if (level != null) {
        levels.put(e.getKey(), level);
      }
    }
    return levels;
  }
}
