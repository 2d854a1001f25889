package dev.stallwatch.pipeline.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.joda.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * A data source that waits for a database that is down instead of failing the bundle, and hands
 * out connections that replace themselves once the database has dropped them.
 *
 * <p>JdbcIO's write (2.70) retries a failed batch with backoff when its retry strategy says so,
 * but only around executing and committing: the connection is opened outside that retry, and after
 * a lost connection its rollback fails and the same dead connection would be used again. So a
 * database that restarts would fail the bundle rather than be waited for. This class closes both
 * gaps: {@link #getConnection} retries transient errors with exponential backoff (up to 15 s
 * between tries) for at most the configured time, and a connection whose link is lost ignores
 * JdbcIO's rollback and reconnects (patiently) when JdbcIO prepares the batch again. The batch is
 * then replayed in full, which the idempotent upsert makes harmless.
 */
final class PatientDataSource implements DataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(PatientDataSource.class);
  private static final long MAX_PAUSE_MILLIS = 15_000;

  private final DataSource delegate;
  private final JdbcSettings settings;
  private final long initialMillis;
  private final long maxMillis;

  PatientDataSource(DataSource delegate, JdbcSettings settings, Duration initial, Duration max) {
    this.delegate = delegate;
    this.settings = settings;
    this.initialMillis = Math.max(1, initial.getMillis());
    this.maxMillis = max.getMillis();
  }

  /** JdbcIO's pooled data source for {@code settings}, made patient; built once per worker. */
  static SerializableFunction<Void, DataSource> provider(
      JdbcSettings settings, Duration initial, Duration max) {
    return new Provider(settings, initial, max);
  }

  private static final class Provider
      implements SerializableFunction<Void, DataSource>, HasDisplayData {
    private static final long serialVersionUID = 1L;

    private final JdbcSettings settings;
    private final Duration initial;
    private final Duration max;

    Provider(JdbcSettings settings, Duration initial, Duration max) {
      this.settings = settings;
      this.initial = initial;
      this.max = max;
    }

    @Override
    public DataSource apply(Void input) {
      DataSource pooled =
          JdbcIO.DataSourceProviderFromDataSourceConfiguration.of(
                  settings.dataSourceConfiguration())
              .apply(null);
      return new PatientDataSource(pooled, settings, initial, max);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      builder.add(DisplayData.item("jdbcUrl", settings.shownUrl()));
      builder.addIfNotNull(DisplayData.item("user", settings.user()));
      builder.add(DisplayData.item("dialect", settings.dialect().optionName()));
      builder.add(DisplayData.item("maxWaitForDatabase", max.toString()));
    }

    @Override
    public String toString() {
      return "PatientDataSource.Provider{" + settings + ", wait up to " + max + "}";
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return Healing.wrap(this, open());
  }

  /** A raw connection from the pool, retried while the error is transient and time is left. */
  Connection open() throws SQLException {
    long deadline = System.currentTimeMillis() + maxMillis;
    long pause = initialMillis;
    while (true) {
      try {
        return delegate.getConnection();
      } catch (SQLException e) {
        long now = System.currentTimeMillis();
        if (!TransientSqlErrors.isTransient(e, settings.dialect()) || now + pause > deadline) {
          throw e;
        }
        LOG.warn(
            "cannot connect to {} ({}); trying again in {} ms",
            settings.shownUrl(),
            e.getMessage(),
            pause);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
      }
    }
  }

  /** The connection JdbcIO holds: it swaps in a new one after the database dropped the old one. */
  private static final class Healing implements InvocationHandler {
    private final PatientDataSource source;
    private Connection current;
    private boolean lost;
    private Boolean autoCommit;

    private Healing(PatientDataSource source, Connection current) {
      this.source = source;
      this.current = current;
    }

    static Connection wrap(PatientDataSource source, Connection connection) {
      return (Connection)
          Proxy.newProxyInstance(
              PatientDataSource.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              new Healing(source, connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "PatientDataSource connection to " + source.settings.shownUrl();
        case "prepareStatement":
        case "prepareCall":
        case "createStatement":
          reconnectIfLost();
          return call(method, args);
        case "setAutoCommit":
          reconnectIfLost();
          autoCommit = (Boolean) args[0];
          return call(method, args);
        case "rollback":
          if (args == null || args.length == 0) {
            return rollback();
          }
          return call(method, args);
        case "close":
          if (lost) {
            closeQuietly(current);
            return null;
          }
          return call(method, args);
        default:
          return call(method, args);
      }
    }

    /** JdbcIO rolls back before it retries; on a lost connection there is nothing to undo. */
    private Object rollback() throws Throwable {
      if (lost || current.isClosed()) {
        lost = true;
        return null;
      }
      try {
        current.rollback();
      } catch (SQLException e) {
        if (!TransientSqlErrors.isLostConnection(e) && current.isValid(5)) {
          throw e;
        }
        lost = true;
      }
      return null;
    }

    private void reconnectIfLost() throws SQLException {
      if (!lost && !current.isClosed()) {
        return;
      }
      closeQuietly(current);
      LOG.warn("the connection to {} was lost; opening a new one", source.settings.shownUrl());
      Connection fresh = source.open();
      if (autoCommit != null) {
        fresh.setAutoCommit(autoCommit);
      }
      current = fresh;
      lost = false;
    }

    private Object call(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(current, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private static void closeQuietly(Connection c) {
      try {
        c.close();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("closing a lost connection", e);
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the user and password come from JdbcSettings");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "PatientDataSource{" + settings + "}";
  }
}
