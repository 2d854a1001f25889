package dev.stallwatch.pipeline.jdbc;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.apache.beam.sdk.options.ValueProvider;

/**
 * Where the password is, as a {@link ValueProvider} so that JdbcIO's pooled data source reads it
 * on the worker; its {@link #toString} (which JdbcIO's display data and AutoValue use) names the
 * source only. Public for the other sinks that log in with a password (the search index writer's
 * {@code SearchSettings}), which build it with {@link #of}.
 */
public final class PasswordSource implements ValueProvider<String>, Serializable {
  private static final long serialVersionUID = 1L;

  private final String env;
  private final String file;

  PasswordSource(String env, String file) {
    this.env = env;
    this.file = file;
  }

  /**
   * The password from {@code file} when it is set (its content without a final line break),
   * else from the environment variable {@code env} on the worker; both null: no password.
   */
  public static PasswordSource of(String env, String file) {
    return new PasswordSource(env, file);
  }

  @Override
  public String get() {
    return read(System::getenv);
  }

  @Override
  public boolean isAccessible() {
    return true;
  }

  /** The password from the file if one is set (it must be readable), else from the variable. */
  String read(Function<String, String> environment) {
    if (file != null) {
      try {
        return stripLineBreak(Files.readString(Path.of(file), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read the password file " + file + ": " + e.getMessage(), e);
      }
    }
    String value = env == null ? null : environment.apply(env);
    return value == null || value.isEmpty() ? null : value;
  }

  private static String stripLineBreak(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordSource
        && Objects.equals(env, ((PasswordSource) o).env)
        && Objects.equals(file, ((PasswordSource) o).file);
  }

  @Override
  public int hashCode() {
    return Objects.hash(env, file);
  }

  @Override
  public String toString() {
    if (file != null) {
      return "<from file " + file + ">";
    }
    return env == null ? "<none>" : "<from environment variable " + env + ">";
  }
}
