package dev.stallwatch.pipeline.jdbc;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Which database errors are worth waiting out: the database restarting or unreachable for a while,
 * deadlocks and serialization failures. Anything else (a bad password, a missing table, a value
 * too long) fails at once. Causes and chained exceptions are searched too, because pools and
 * batches wrap the driver's error (commons-dbcp's "Cannot create PoolableConnectionFactory" has no
 * SQLState of its own).
 */
final class TransientSqlErrors {
  private TransientSqlErrors() {}

  /** SQLStates of transient errors in every dialect (class 08 is matched separately). */
  private static final Set<String> STATES =
      Set.of(
          "40001", // serialization failure / deadlock (standard)
          "40P01", // PostgreSQL deadlock_detected
          "57P01", // PostgreSQL admin_shutdown: the server is stopping
          "57P02", // PostgreSQL crash_shutdown
          "57P03", // PostgreSQL cannot_connect_now: the server is starting
          "53300", // PostgreSQL too_many_connections
          "55P03", // PostgreSQL lock_not_available
          "HYT00"); // lock or statement timeout (H2 and others)

  /** Oracle error codes (ORA-nnnnn) of transient errors. */
  private static final Set<Integer> ORACLE_CODES =
      Set.of(
          1, // unique constraint: a concurrent MERGE inserted the key first; again takes MATCHED
          28, // session killed
          60, // deadlock
          1033, // initialization or shutdown in progress
          1034, // ORACLE not available
          1089, // immediate shutdown in progress
          1090, // shutdown in progress
          1092, // instance terminated
          3113, // end-of-file on communication channel
          3114, // not connected
          3135, // connection lost contact
          8177, // cannot serialize access
          12514, // listener does not know the service (yet)
          12516, 12518, 12519, 12520, // listener has no handler available
          12528, // instance blocking new connections
          12537, // connection closed
          12541, // no listener
          12571, // packet writer failure
          17002, // I/O error (driver)
          17008, // closed connection (driver)
          17410, // no more data to read from socket (driver)
          30006); // resource busy, wait timed out

  /**
   * MariaDB/MySQL server error codes of transient errors whose SQLState alone does not say so
   * (lock waits are HY000; too many connections is 08004, a rejection like a bad login).
   */
  private static final Set<Integer> MARIADB_CODES =
      Set.of(
          1040, // too many connections
          1053, // server shutdown in progress
          1205, // lock wait timeout exceeded
          1213, // deadlock found (SQLState 40001 too)
          1927, // connection was killed
          2006, // server has gone away
          2013); // lost connection during query

  /**
   * Connection errors (class 08) that are mistakes, not outages: the server rejected the
   * connection (PostgreSQL's driver says so when no password was given) or spoke another protocol.
   */
  private static final Set<String> NOT_OUTAGES = Set.of("08004", "08P01");

  /** H2: a concurrent MERGE inserted the key first; connection broken; database closed. */
  private static final Set<String> H2_STATES = Set.of("23505", "90067", "90098");

  /** True when retrying after a pause may succeed. */
  static boolean isTransient(Throwable error, SqlDialect dialect) {
    for (Throwable t : chain(error)) {
      if (isConnectionLoss(t)
          || t instanceof SQLTransientException
          || t instanceof SocketTimeoutException
          || t instanceof EOFException) {
        return true;
      }
      if (t instanceof SQLException) {
        SQLException e = (SQLException) t;
        String state = e.getSQLState();
        if (state != null && STATES.contains(state)) {
          return true;
        }
        if (dialect == SqlDialect.ORACLE && ORACLE_CODES.contains(e.getErrorCode())) {
          return true;
        }
        if (dialect == SqlDialect.H2 && state != null && H2_STATES.contains(state)) {
          return true;
        }
        if (dialect == SqlDialect.MARIADB && MARIADB_CODES.contains(e.getErrorCode())) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when {@code error} says the connection itself is gone (so a new one is needed). */
  static boolean isLostConnection(Throwable error) {
    for (Throwable t : chain(error)) {
      if (isConnectionLoss(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectionLoss(Throwable t) {
    if (t instanceof SQLRecoverableException
        || t instanceof SQLNonTransientConnectionException
        || t instanceof SocketException) {
      return true;
    }
    if (t instanceof SQLException) {
      String state = ((SQLException) t).getSQLState();
      return state != null
          && ((state.startsWith("08") && !NOT_OUTAGES.contains(state))
              || state.equals("57P01")
              || state.equals("57P02"));
    }
    return false;
  }

  /** {@code error}, its causes and the SQLExceptions chained to any of them, each once. */
  private static Iterable<Throwable> chain(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> todo = new ArrayDeque<>();
    todo.add(error);
    while (!todo.isEmpty() && seen.size() < 32) {
      Throwable t = todo.poll();
      if (t == null || !seen.add(t)) {
        continue;
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      if (t instanceof SQLException && ((SQLException) t).getNextException() != null) {
        todo.add(((SQLException) t).getNextException());
      }
    }
    return seen;
  }
}
