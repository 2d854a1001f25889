package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dimension tables a streaming job reads (SPEC §5) and how to read them with plain JDBC:
 *
 * <ul>
 *   <li>the blacklist, columns {@code ID_NO} and {@code MOBILE_TEL} (default {@value
 *       #DEFAULT_BLACKLIST});
 *   <li>the existing customers, column {@code ID_NO} (default {@value
 *       #DEFAULT_EXISTING_CUSTOMERS}), merged into the blacklist's ids because SPEC excludes them
 *       on the same routes;
 *   <li>the channel dimension, columns {@code CHANNEL_CODE} and {@code CHANNEL_NAME} (default
 *       {@value #DEFAULT_CHANNELS}).
 * </ul>
 *
 * <p>Table names are configurable (optionally {@code schema.table}; a view that renames columns
 * serves existing tables); a null or blank name leaves that table out. Values are trimmed, null and
 * blank ones skipped. A code listed twice keeps the smaller non-empty name, whatever the row order.
 */
public final class DimensionTables implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_BLACKLIST = "STALLWATCH_BLACKLIST";
  public static final String DEFAULT_EXISTING_CUSTOMERS = "STALLWATCH_EXISTING_CUSTOMER";
  public static final String DEFAULT_CHANNELS = "STALLWATCH_CHANNEL";

  /** A stuck query must not hold the reload (or a Flink checkpoint behind it) forever. */
  private static final int QUERY_TIMEOUT_SECONDS = 300;

  /** Rows per round trip; Oracle's default of 10 makes a large table slow to read. */
  private static final int FETCH_SIZE = 5000;

  private final String blacklist;
  private final String existingCustomers;
  private final String channels;

  private DimensionTables(String blacklist, String existingCustomers, String channels) {
    this.blacklist = checkName(blacklist);
    this.existingCustomers = checkName(existingCustomers);
    this.channels = checkName(channels);
  }

  /** The three tables under their default names. */
  public static DimensionTables defaults() {
    return new DimensionTables(DEFAULT_BLACKLIST, DEFAULT_EXISTING_CUSTOMERS, DEFAULT_CHANNELS);
  }

  /** Another blacklist table; null or blank for none. */
  public DimensionTables withBlacklist(String table) {
    return new DimensionTables(table, existingCustomers, channels);
  }

  /** Another existing-customer table; null or blank for none. */
  public DimensionTables withExistingCustomers(String table) {
    return new DimensionTables(blacklist, table, channels);
  }

  /** Another channel table; null or blank for none (every channel name is then empty). */
  public DimensionTables withChannels(String table) {
    return new DimensionTables(blacklist, existingCustomers, table);
  }

  private static String checkName(String name) {
    return name == null || name.trim().isEmpty() ? null : SqlDialect.checkIdentifier(name.trim());
  }

  /** The blacklist table, or null when none is used. */
  public String blacklist() {
    return blacklist;
  }

  /** The existing-customer table, or null when none is used. */
  public String existingCustomers() {
    return existingCustomers;
  }

  /** The channel table, or null when none is used. */
  public String channels() {
    return channels;
  }

  /** The blacklist table's ids and mobiles with the existing customers' ids. */
  public Blacklist loadBlacklist(JdbcSettings settings) {
    return loadBlacklist(settings, new HashMap<>());
  }

  /**
   * {@link #loadBlacklist(JdbcSettings)}, putting into {@code rows} the number of rows read from
   * the blacklist table and from the existing-customer table (those it uses), by table name.
   */
  public Blacklist loadBlacklist(JdbcSettings settings, Map<String, Long> rows) {
    List<String> ids = new ArrayList<>();
    List<String> mobiles = new ArrayList<>();
    if (blacklist == null && existingCustomers == null) {
      return Blacklist.empty();
    }
    String current = blacklist == null ? existingCustomers : blacklist;
    try (Connection c = settings.connect()) {
      if (blacklist != null) {
        rows.put(blacklist, read(c, "SELECT ID_NO, MOBILE_TEL FROM " + blacklist, row -> {
          ids.add(row.getString(1));
          mobiles.add(row.getString(2));
        }));
      }
      if (existingCustomers != null) {
        current = existingCustomers;
        rows.put(
            existingCustomers,
            read(c, "SELECT ID_NO FROM " + existingCustomers, row -> ids.add(row.getString(1))));
      }
    } catch (SQLException e) {
      throw new DimensionLoadException(current, settings.shownUrl(), e);
    }
    // Blacklist.of trims and skips null and blank values
    return Blacklist.of(ids, mobiles);
  }

  /** The channel table's names by code; empty when no channel table is used. */
  public ChannelNames loadChannels(JdbcSettings settings) {
    return loadChannels(settings, new HashMap<>());
  }

  /** {@link #loadChannels(JdbcSettings)}, putting the channel table's row count into {@code rows}. */
  public ChannelNames loadChannels(JdbcSettings settings, Map<String, Long> rows) {
    if (channels == null) {
      return ChannelNames.empty();
    }
    Map<String, String> names = new HashMap<>();
    try (Connection c = settings.connect()) {
      rows.put(channels, read(c, "SELECT CHANNEL_CODE, CHANNEL_NAME FROM " + channels, row -> {
        String code = trim(row.getString(1));
        if (!code.isEmpty()) {
          names.merge(code, trim(row.getString(2)), DimensionTables::preferred);
        }
      }));
    } catch (SQLException e) {
      throw new DimensionLoadException(channels, settings.shownUrl(), e);
    }
    return ChannelNames.of(names);
  }

  /** Of two names for one code: a non-empty one, and of two non-empty ones the smaller. */
  private static String preferred(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? b : a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A cell trimmed as a row's fields are ({@link Text#strip}), empty for SQL NULL. */
  private static String trim(String s) {
    return s == null ? "" : Text.strip(s);
  }

  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  /** Reads every row of {@code query}; the number of rows, blank ones included. */
  private static long read(Connection c, String query, RowReader reader) throws SQLException {
    long n = 0;
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      s.setFetchSize(FETCH_SIZE);
      try (ResultSet rows = s.executeQuery(query)) {
        while (rows.next()) {
          reader.read(rows);
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DimensionTables)) {
      return false;
    }
    DimensionTables t = (DimensionTables) o;
    return Objects.equals(blacklist, t.blacklist)
        && Objects.equals(existingCustomers, t.existingCustomers)
        && Objects.equals(channels, t.channels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blacklist, existingCustomers, channels);
  }

  @Override
  public String toString() {
    return "DimensionTables{blacklist="
        + blacklist
        + ", existingCustomers="
        + existingCustomers
        + ", channels="
        + channels
        + "}";
  }
}
