package dev.stallwatch.pipeline.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real, throwaway MariaDB server for integration tests: {@code mariadb-install-db} (or {@code
 * mysql_install_db}) into a temporary directory, then {@code mariadbd} (or {@code mysqld}) as a
 * child process of this JVM, on a free port of 127.0.0.1 (its Unix socket in the same directory),
 * with one database and one user who logs in with a password kept in a file. Closing it stops the
 * server and deletes the directory; a shutdown hook stops it too.
 *
 * <p>The binaries are looked up on {@code PATH}, then in {@code /usr/sbin}, {@code /usr/bin} and
 * {@code /usr/libexec}. The server runs with {@code --no-defaults}, so no {@code my.cnf} of the
 * machine applies, and never as a system service. As root it is started with {@code --user=root}
 * (it refuses to run as root otherwise) and the directory stays root's.
 */
public final class MariaDbServer implements AutoCloseable {
  public static final String DATABASE = "stallwatch";
  public static final String USER = "stallwatch";

  private static final List<String> SEARCHED = List.of("/usr/sbin", "/usr/bin", "/usr/libexec");

  private final Path installDb;
  private final Path server;
  private final Path dir;
  private final int port;
  private final String password;
  private final boolean root;
  private final Thread cleanup;
  private Process process;

  private MariaDbServer(
      Path installDb, Path server, Path dir, int port, String password, boolean root) {
    this.installDb = installDb;
    this.server = server;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.root = root;
    this.cleanup = new Thread(this::stopQuietly, "stop-test-mariadb");
  }

  /** The first executable of {@code names} on PATH or in the usual directories, if any. */
  private static Optional<Path> find(String... names) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(":")) {
        dirs.add(entry.isEmpty() ? "." : entry);
      }
    }
    dirs.addAll(SEARCHED);
    for (String name : names) {
      for (String d : dirs) {
        Path candidate = Path.of(d, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** True when the server binaries are installed. */
  public static boolean available() {
    return find("mariadb-install-db", "mysql_install_db").isPresent()
        && find("mariadbd", "mysqld").isPresent();
  }

  /** Initializes and starts a server with database {@value #DATABASE}, usable by {@value #USER}. */
  public static MariaDbServer start() throws IOException {
    Optional<Path> installDb = find("mariadb-install-db", "mysql_install_db");
    Optional<Path> server = find("mariadbd", "mysqld");
    if (installDb.isEmpty() || server.isEmpty()) {
      throw new IllegalStateException(
          "MariaDB server binaries (mariadb-install-db and mariadbd, or mysql_install_db and"
              + " mysqld) are neither on PATH nor in /usr/sbin, /usr/bin, /usr/libexec; install the"
              + " mariadb-server package");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("stallwatch-mariadb");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    String password = "pw-" + Long.toHexString(System.nanoTime());
    Files.writeString(dir.resolve("password"), password + "\n", StandardCharsets.UTF_8);

    MariaDbServer db =
        new MariaDbServer(installDb.get(), server.get(), dir, ServerFiles.freePort(), password, root);
    Runtime.getRuntime().addShutdownHook(db.cleanup);
    try {
      db.install();
      db.launch();
      db.createDatabaseAndUser();
    } catch (IOException | SQLException | RuntimeException e) {
      db.close();
      throw new IOException("could not start a test MariaDB server: " + e.getMessage(), e);
    }
    return db;
  }

  private void install() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(installDb.toString());
    command.add("--no-defaults");
    command.add("--datadir=" + dir.resolve("data"));
    command.add("--auth-root-authentication-method=normal"); // root@127.0.0.1, no password
    command.add("--skip-test-db");
    basedir().ifPresent(b -> command.add("--basedir=" + b));
    if (root) {
      command.add("--user=root");
    }
    Path log = dir.resolve("install.log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(installDb.getFileName() + " did not finish in 120 s: " + ServerFiles.tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + installDb.getFileName(), e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          installDb.getFileName() + " exited with " + p.exitValue() + ": " + ServerFiles.tail(log));
    }
  }

  /**
   * The installation's base directory ({@code /usr} for {@code /usr/sbin/mariadbd}), which the
   * install script needs to find its SQL files when it is not where it was built for.
   */
  private Optional<Path> basedir() {
    try {
      Path real = server.toRealPath().getParent();
      return real == null || real.getParent() == null
          ? Optional.empty()
          : Optional.of(real.getParent());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void launch() throws IOException, SQLException {
    List<String> command = new ArrayList<>();
    command.add(server.toString());
    command.add("--no-defaults");
    basedir().ifPresent(b -> command.add("--basedir=" + b));
    command.add("--datadir=" + dir.resolve("data"));
    command.add("--port=" + port);
    command.add("--bind-address=127.0.0.1");
    command.add("--socket=" + dir.resolve("mysqld.sock"));
    command.add("--pid-file=" + dir.resolve("mysqld.pid"));
    command.add("--log-error=" + dir.resolve("server.log"));
    command.add("--tmpdir=" + dir);
    command.add("--skip-name-resolve");
    command.add("--skip-log-bin");
    command.add("--character-set-server=utf8mb4");
    command.add("--collation-server=utf8mb4_bin");
    // a test server: small, and quick rather than durable
    command.add("--innodb-buffer-pool-size=64M");
    command.add("--innodb-log-file-size=16M");
    command.add("--innodb-flush-log-at-trx-commit=0");
    command.add("--innodb-doublewrite=0");
    command.add("--innodb-use-native-aio=0");
    command.add("--performance-schema=OFF");
    if (root) {
      command.add("--user=root"); // mariadbd refuses to run as root without it
    }
    process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            server.getFileName() + " exited with " + process.exitValue() + ": "
                + ServerFiles.tail(dir.resolve("server.log")));
      }
      try (Connection c = connectAsRoot()) {
        return;
      } catch (SQLException e) {
        if (!refused(e)) {
          throw e; // the server is up but will not let us in: waiting will not help
        }
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the server", e);
      }
    }
    throw new IOException(
        server.getFileName() + " did not accept connections in 60 s (" + last + "): "
            + ServerFiles.tail(dir.resolve("server.log")));
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  private void createDatabaseAndUser() throws SQLException {
    try (Connection c = connectAsRoot();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      s.execute("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
      s.execute("GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + USER + "'@'127.0.0.1'");
    }
  }

  private Connection connectAsRoot() throws SQLException {
    Properties info = new Properties();
    info.setProperty("user", "root");
    info.setProperty("connectTimeout", "2000");
    info.setProperty("sslMode", "disable"); // Connector/J 4 wants TLS unless told otherwise
    return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://127.0.0.1:" + port + "/", info);
  }

  public String jdbcUrl() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** A file holding the password and a line break. */
  public Path passwordFile() {
    return dir.resolve("password");
  }

  /**
   * Settings for this server's database, the password taken from {@link #passwordFile}. The test
   * server has no TLS, and Connector/J 4 insists on it by default: {@code sslMode=disable}.
   */
  public JdbcSettings settings() {
    return JdbcSettings.builder(jdbcUrl())
        .user(USER)
        .properties("sslMode=disable")
        .passwordFile(passwordFile().toString())
        .build();
  }

  /** A connection to database {@value #DATABASE} as {@value #USER}. */
  public Connection connect() throws SQLException {
    return settings().connect();
  }

  /** Stops the server: SIGTERM (a clean shutdown), then SIGKILL after 30 s. */
  private void stopQuietly() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    ServerFiles.deleteTree(dir);
  }

  @Override
  public String toString() {
    return "MariaDbServer{" + jdbcUrl() + ", " + dir + "}";
  }
}
