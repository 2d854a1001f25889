package dev.stallwatch.pipeline.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The databases the JDBC integration tests hold a sink to: H2 in Oracle mode, a real PostgreSQL and
 * a real MariaDB. The two servers are started once for the test JVM, on first use, and stopped
 * when it exits (their own shutdown hooks), so the test classes that only write and read share
 * them (each uses tables of its own). A test that stops or breaks its server (AuditTableIT) starts one of its own.
 */
enum TestDatabase {
  H2,
  POSTGRES,
  MARIADB;

  private static PostgresServer postgres;
  private static MariaDbServer mariadb;

  /** Settings for a connection to this database. */
  JdbcSettings settings() {
    switch (this) {
      case POSTGRES:
        return postgres().settings();
      case MARIADB:
        return mariadb().settings();
      case H2:
      default:
        return JdbcTesting.h2();
    }
  }

  private static synchronized PostgresServer postgres() {
    if (postgres == null) {
      try {
        postgres = PostgresServer.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postgres;
  }

  private static synchronized MariaDbServer mariadb() {
    if (mariadb == null) {
      try {
        mariadb = MariaDbServer.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return mariadb;
  }

}
