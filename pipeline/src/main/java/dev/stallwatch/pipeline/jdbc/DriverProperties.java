package dev.stallwatch.pipeline.jdbc;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.beam.sdk.options.ValueProvider;

/**
 * The extra driver properties: those of the command line ({@code --jdbcProperties}, which holds
 * no secret) and those of a properties file ({@code --jdbcPropertiesFile}, where secret ones
 * belong). The file is read where a connection is made, each time, so its values are in no job
 * graph, display data or {@link #toString}: as a {@link ValueProvider}, JdbcIO's pooled data
 * source calls {@link #get} on the worker ({@code DataSourceConfiguration.buildDatasource} hands
 * the {@code k=v;k=v} string to DBCP's {@code setConnectionProperties}). On a cluster, workers
 * need the file at the same path, as for the password file.
 */
final class DriverProperties implements ValueProvider<String>, Serializable {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, String> given;
  private final String file;

  DriverProperties(LinkedHashMap<String, String> given, String file) {
    this.given = given;
    this.file = file;
  }

  /** The command line's properties, in their order. */
  Map<String, String> given() {
    return Collections.unmodifiableMap(given);
  }

  /** The properties file, or null. */
  String file() {
    return file;
  }

  boolean isEmpty() {
    return given.isEmpty() && file == null;
  }

  /**
   * At start: the file is readable and its names are allowed. Its values are read and dropped;
   * they are read again on use.
   */
  void check() {
    if (file != null) {
      readFile(IllegalArgumentException::new);
    }
  }

  /** The command line's properties and the file's, read now. */
  Map<String, String> read() {
    Map<String, String> all = new LinkedHashMap<>(given);
    if (file != null) {
      all.putAll(readFile(IllegalStateException::new));
    }
    return all;
  }

  @Override
  public String get() {
    StringBuilder sb = new StringBuilder();
    read().forEach((k, v) -> sb.append(k).append('=').append(v).append(';'));
    return sb.toString();
  }

  @Override
  public boolean isAccessible() {
    return true;
  }

  private Map<String, String> readFile(java.util.function.Function<String, RuntimeException> error) {
    Properties props = new Properties();
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw error.apply("--jdbcPropertiesFile: cannot read " + file);
    }
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw error.apply("--jdbcPropertiesFile: cannot read " + file);
    }
    Map<String, String> read = new LinkedHashMap<>();
    for (String key : new TreeSet<>(props.stringPropertyNames())) {
      String name = key.trim();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("user") || lower.equals("password")) {
        throw error.apply("--jdbcPropertiesFile: " + name + " has its own setting, " + ownSetting(lower));
      }
      if (given.containsKey(name)) {
        throw error.apply(
            "--jdbcPropertiesFile: " + name + " is also given by --jdbcProperties; give it once");
      }
      String value = props.getProperty(key).trim();
      if (name.isEmpty() || name.contains(";") || name.contains("=") || value.contains(";")) {
        throw error.apply(
            "--jdbcPropertiesFile: property " + name + " has a ';' or '=' where JdbcIO's"
                + " k=v;k=v form cannot carry it");
      }
      read.put(name, value);
    }
    return read;
  }

  /** Where the user or the password is given instead. */
  static String ownSetting(String lowerName) {
    return lowerName.equals("user")
        ? "--jdbcUser"
        : "--jdbcPasswordFile or the environment variable " + JdbcSettings.DEFAULT_PASSWORD_ENV;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriverProperties
        && given.equals(((DriverProperties) o).given)
        && Objects.equals(file, ((DriverProperties) o).file);
  }

  @Override
  public int hashCode() {
    return Objects.hash(given, file);
  }

  /** The command line's property names and the file's path: never a value. */
  @Override
  public String toString() {
    return given.keySet() + (file == null ? "" : " and the properties of file " + file);
  }
}
