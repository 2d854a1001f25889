package dev.stallwatch.pipeline.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real, throwaway PostgreSQL server for integration tests: {@code initdb} into a temporary
 * directory, {@code pg_ctl start} on a free port (TCP on 127.0.0.1, its Unix socket in the same
 * directory), one database, password authentication. Closing it stops the server and deletes the
 * directory; {@link #stop} and {@link #resume} take it down and bring it back on the same port, to
 * test what happens while a database is away.
 *
 * <p>The server binaries are looked up on {@code PATH}, then under {@code /usr/lib/postgresql/*
 * /bin} (newest version first). PostgreSQL refuses to run as root, so as root the commands run as
 * the {@code postgres} user ({@code runuser}, else {@code su}) and the directory is theirs.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String DATABASE = "stallwatch";
  public static final String USER = "stallwatch";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password;
  private final boolean asPostgresUser;
  private final Thread cleanup;
  private boolean running;

  private PostgresServer(Path bin, Path dir, int port, String password, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.asPostgresUser = asPostgresUser;
    this.cleanup = new Thread(this::stopQuietly, "stop-test-postgres");
  }

  /** The directory holding {@code initdb} and {@code pg_ctl}, if any. */
  public static Optional<Path> binaries() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(":")) {
        Path initdb = Path.of(entry.isEmpty() ? "." : entry, "initdb");
        if (Files.isExecutable(initdb) && Files.isExecutable(initdb.resolveSibling("pg_ctl"))) {
          try {
            // pg_ctl finds postgres beside its real location, not beside a symlink
            return Optional.of(initdb.toRealPath().getParent());
          } catch (IOException e) {
            // a dangling link: keep looking
          }
        }
      }
    }
    List<Path> versions = new ArrayList<>();
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
        dirs.forEach(versions::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    versions.sort(Comparator.comparing(PostgresServer::versionOf).reversed());
    for (Path v : versions) {
      Path dir = v.resolve("bin");
      if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString().replaceAll("\\..*", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Initializes and starts a server with database {@value #DATABASE}, owned by {@value #USER}. */
  public static PostgresServer start() throws IOException {
    Path bin =
        binaries()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "PostgreSQL server binaries (initdb, pg_ctl) are neither on PATH nor in"
                            + " /usr/lib/postgresql/*/bin; install the postgresql package"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("stallwatch-pg");
    String password = "pw-" + Long.toHexString(System.nanoTime());
    Files.writeString(dir.resolve("password"), password + "\n", StandardCharsets.UTF_8);
    if (root) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
      Files.setOwner(dir.resolve("password"), postgres);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

    PostgresServer server = new PostgresServer(bin, dir, ServerFiles.freePort(), password, root);
    Runtime.getRuntime().addShutdownHook(server.cleanup);
    try {
      server.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D", dir.resolve("data").toString(),
              "-U", USER,
              "--pwfile=" + dir.resolve("password"),
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "-E", "UTF8",
              "--locale=C.UTF-8",
              "--no-sync"));
      server.resume();
      try (Connection c = server.connect("postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (IOException | SQLException | RuntimeException e) {
      server.close();
      throw new IOException("could not start a test PostgreSQL server: " + e.getMessage(), e);
    }
    return server;
  }

  /** Starts the server again after {@link #stop}, on the same port with the same data. */
  public void resume() throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D", dir.resolve("data").toString(),
            "-l", dir.resolve("server.log").toString(),
            "-w",
            "-t", "30",
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off",
            "start"));
    running = true;
  }

  /** Stops the server (fast shutdown: sessions are ended), keeping its data. */
  public void stop() throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D", dir.resolve("data").toString(),
            "-m", "fast",
            "-w",
            "stop"));
    running = false;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
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

  /** A file holding the password and a line break, readable by this process. */
  public Path passwordFile() {
    return dir.resolve("password");
  }

  /** Settings for this server's database, the password taken from {@link #passwordFile}. */
  public JdbcSettings settings() {
    return JdbcSettings.builder(jdbcUrl())
        .user(USER)
        .passwordFile(passwordFile().toString())
        .build();
  }

  /** A connection to database {@value #DATABASE}. */
  public Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, password);
  }

  private void run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || onPath("runuser")) {
        full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
      } else {
        full.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", shellQuoted(command)));
      }
    } else {
      full.addAll(command);
    }
    Path log = dir.resolve("command.log");
    Process p =
        new ProcessBuilder(full)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done;
    try {
      done = p.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    if (!done) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish in 60 s: " + ServerFiles.tail(log));
    }
    if (p.exitValue() != 0) {
      Path serverLog = dir.resolve("server.log");
      throw new IOException(
          String.join(" ", command)
              + " exited with "
              + p.exitValue()
              + ": "
              + ServerFiles.tail(log)
              + (Files.exists(serverLog) ? " | server log: " + ServerFiles.tail(serverLog) : ""));
    }
  }

  private static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(":")) {
      if (Files.isExecutable(Path.of(entry.isEmpty() ? "." : entry, name))) {
        return true;
      }
    }
    return false;
  }

  private static String shellQuoted(List<String> command) {
    StringBuilder sb = new StringBuilder();
    for (String arg : command) {
      sb.append(sb.length() == 0 ? "" : " ");
      sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
    }
    return sb.toString();
  }

  private void stopQuietly() {
    if (!running) {
      return;
    }
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D", dir.resolve("data").toString(),
              "-m", "immediate",
              "-w",
              "stop"));
      running = false;
    } catch (IOException e) {
      System.err.println("could not stop the test PostgreSQL server in " + dir + ": " + e);
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
    return "PostgresServer{" + jdbcUrl() + ", " + dir + "}";
  }
}
