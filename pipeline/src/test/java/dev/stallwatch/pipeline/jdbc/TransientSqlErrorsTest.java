package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which errors are waited out: the database going away or coming back, deadlocks. */
class TransientSqlErrorsTest {
  private static boolean transientIn(SqlDialect dialect, Throwable e) {
    return TransientSqlErrors.isTransient(e, dialect);
  }

  private static SQLException error(String message, String state, int code) {
    return new SQLException(message, state, code);
  }

  @Test
  void aRefusedConnectionWrappedByThePoolIsTransient() {
    SQLException driver = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
    SQLException pool = new SQLException("Cannot create PoolableConnectionFactory", driver);
    assertTrue(transientIn(SqlDialect.POSTGRES, pool));
    assertTrue(TransientSqlErrors.isLostConnection(pool));
    assertTrue(
        transientIn(
            SqlDialect.ORACLE,
            new SQLRecoverableException("IO Error", new ConnectException("Connection refused"))));
    assertTrue(transientIn(SqlDialect.H2, new SQLTransientConnectionException("timeout")));
  }

  @Test
  void deadlocksAndRestartsAreTransientButNotLostConnections() {
    SQLException deadlock = new SQLException("deadlock detected", "40P01");
    assertTrue(transientIn(SqlDialect.POSTGRES, deadlock));
    assertFalse(TransientSqlErrors.isLostConnection(deadlock));
    assertTrue(transientIn(SqlDialect.POSTGRES, new SQLException("starting up", "57P03")));
    assertTrue(TransientSqlErrors.isLostConnection(new SQLException("shutting down", "57P01")));
  }

  @Test
  void theRealErrorOfABatchIsFoundInItsChain() {
    BatchUpdateException batch =
        new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0]);
    batch.setNextException(new SQLException("serialization failure", "40001"));
    assertTrue(transientIn(SqlDialect.POSTGRES, batch));
  }

  @Test
  void oracleCodesCountOnlyForOracle() {
    SQLException ora60 = new SQLException("ORA-00060: deadlock detected", "61000", 60);
    assertTrue(transientIn(SqlDialect.ORACLE, ora60));
    assertFalse(transientIn(SqlDialect.POSTGRES, ora60));
    // a concurrent MERGE of the same new key: the retry takes the MATCHED branch
    assertTrue(transientIn(SqlDialect.ORACLE, new SQLException("ORA-00001", "23000", 1)));
  }

  @Test
  void mistakesAreNotTransient() {
    assertFalse(transientIn(SqlDialect.POSTGRES, error("password authentication", "28P01", 0)));
    assertFalse(transientIn(SqlDialect.POSTGRES, error("relation does not exist", "42P01", 0)));
    assertFalse(transientIn(SqlDialect.ORACLE, error("ORA-01017: bad password", "72000", 1017)));
    assertFalse(transientIn(SqlDialect.ORACLE, error("ORA-12899: too large", "72000", 12899)));
    assertFalse(transientIn(SqlDialect.H2, new SQLException("Table not found", "42S02", 42102)));
    assertFalse(TransientSqlErrors.isLostConnection(new SQLException("syntax", "42601")));
    // PostgreSQL's driver when the server wants a password and none was given
    SQLException rejected = error("no password was provided", "08004", 0);
    assertFalse(transientIn(SqlDialect.POSTGRES, new SQLException("pool", rejected)));
    assertFalse(TransientSqlErrors.isLostConnection(rejected));
  }
}
