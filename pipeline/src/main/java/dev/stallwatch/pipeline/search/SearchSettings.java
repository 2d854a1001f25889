package dev.stallwatch.pipeline.search;

import dev.stallwatch.pipeline.jdbc.PasswordSource;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.joda.time.Duration;

/**
 * Where and how {@link SearchIndexWrite} writes: the node's base URL ({@code http://127.0.0.1:9200};
 * OpenSearch or Elasticsearch, HTTP or HTTPS), the index, the user and where the password is (a
 * {@link PasswordSource}: a file, else an environment variable, read on the worker), and the
 * batching and retry limits. Immutable and serializable; the withers return changed copies.
 *
 * <p>With a user, every request carries HTTP Basic authentication ({@link #authorization}); without
 * one, none. The URL must hold no user info: a password there would show in logs and display data.
 */
public final class SearchSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The environment variable the password is read from unless a file or another variable is set. */
  public static final String DEFAULT_PASSWORD_ENV = "STALLWATCH_SEARCH_PASSWORD";

  public static final int DEFAULT_BULK_SIZE = 500;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.standardSeconds(1);
  public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.standardMinutes(5);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.millis(500);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.standardSeconds(60);

  private final String url;
  private final String index;
  private final String user;
  private final String passwordEnv;
  private final String passwordFile;
  private final int bulkSize;
  private final Duration flushInterval;
  private final Duration maxRetryDuration;
  private final Duration initialBackoff;
  private final Duration requestTimeout;

  private SearchSettings(
      String url,
      String index,
      String user,
      String passwordEnv,
      String passwordFile,
      int bulkSize,
      Duration flushInterval,
      Duration maxRetryDuration,
      Duration initialBackoff,
      Duration requestTimeout) {
    this.url = checkUrl(url);
    this.index = checkIndex(index);
    this.user = blankToNull(user);
    this.passwordEnv = blankToNull(passwordEnv);
    this.passwordFile = blankToNull(passwordFile);
    if (bulkSize < 1) {
      throw new IllegalArgumentException("the bulk size must be at least 1, not " + bulkSize);
    }
    this.bulkSize = bulkSize;
    this.flushInterval = positive("flush interval", flushInterval);
    this.maxRetryDuration = notNegative("max retry duration", maxRetryDuration);
    this.initialBackoff = positive("initial backoff", initialBackoff);
    this.requestTimeout = positive("request timeout", requestTimeout);
  }

  /** Settings for writing to {@code index} of the node at {@code url}, with the defaults. */
  public static SearchSettings of(String url, String index) {
    return new SearchSettings(
        url,
        index,
        null,
        DEFAULT_PASSWORD_ENV,
        null,
        DEFAULT_BULK_SIZE,
        DEFAULT_FLUSH_INTERVAL,
        DEFAULT_MAX_RETRY_DURATION,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_REQUEST_TIMEOUT);
  }

  /** Another index of the same node. */
  public SearchSettings withIndex(String name) {
    return new SearchSettings(url, name, user, passwordEnv, passwordFile, bulkSize, flushInterval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /** The user of HTTP Basic authentication; null or blank: no authentication. */
  public SearchSettings withUser(String name) {
    return new SearchSettings(url, index, name, passwordEnv, passwordFile, bulkSize, flushInterval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /** The environment variable holding the password (default {@value #DEFAULT_PASSWORD_ENV}). */
  public SearchSettings withPasswordEnv(String name) {
    return new SearchSettings(url, index, user, name, passwordFile, bulkSize, flushInterval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /**
   * A file whose content, without a final line break, is the password; it takes precedence over
   * the environment variable. Workers read it, so it must be at the same path on every worker.
   */
  public SearchSettings withPasswordFile(String path) {
    return new SearchSettings(url, index, user, passwordEnv, path, bulkSize, flushInterval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /** At most this many documents per {@code _bulk} request (default {@value #DEFAULT_BULK_SIZE}). */
  public SearchSettings withBulkSize(int docs) {
    return new SearchSettings(url, index, user, passwordEnv, passwordFile, docs, flushInterval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /**
   * How long a document may wait in a batch before the batch is sent, checked as documents arrive
   * (default 1 s); the end of a bundle sends the batch in any case.
   */
  public SearchSettings withFlushInterval(Duration interval) {
    return new SearchSettings(url, index, user, passwordEnv, passwordFile, bulkSize, interval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /** How long a batch is retried in all (busy or failing node) before the bundle fails (default 5 min). */
  public SearchSettings withMaxRetryDuration(Duration duration) {
    return new SearchSettings(url, index, user, passwordEnv, passwordFile, bulkSize, flushInterval, duration, initialBackoff, requestTimeout);
  }

  /** The first pause before a retry; later pauses double, up to 30 s (default 500 ms). */
  public SearchSettings withInitialBackoff(Duration duration) {
    return new SearchSettings(url, index, user, passwordEnv, passwordFile, bulkSize, flushInterval, maxRetryDuration, duration, requestTimeout);
  }

  /** How long one HTTP request may take before it counts as failed and is retried (default 60 s). */
  public SearchSettings withRequestTimeout(Duration duration) {
    return new SearchSettings(url, index, user, passwordEnv, passwordFile, bulkSize, flushInterval, maxRetryDuration, initialBackoff, duration);
  }

  /** The base URL, without a final slash. */
  public String url() {
    return url;
  }

  public String index() {
    return index;
  }

  /** The user, or null: no authentication. */
  public String user() {
    return user;
  }

  /** Where the password is read from. */
  public PasswordSource passwordSource() {
    return PasswordSource.of(passwordEnv, passwordFile);
  }

  public int bulkSize() {
    return bulkSize;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public Duration maxRetryDuration() {
    return maxRetryDuration;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * The value of the {@code Authorization} header, {@code Basic base64(user:password)}, or null
   * without a user. The password is read now (from the file, else the variable); a user without a
   * password is refused, naming where it was looked for.
   */
  public String authorization() {
    if (user == null) {
      return null;
    }
    PasswordSource source = passwordSource();
    String password = source.get();
    if (password == null) {
      throw new IllegalStateException(
          "search user " + user + " is set but there is no password " + source
              + "; set the password file or the variable, or no user");
    }
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String checkUrl(String url) {
    Objects.requireNonNull(url, "url");
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the search URL is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the search URL must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the search URL names no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the search URL holds user info; give the user with withUser and the password in a file or variable");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the search URL must have no query or fragment");
    }
    return u;
  }

  /** The rules both engines have for index names, so a bad name fails here rather than per request. */
  private static String checkIndex(String index) {
    Objects.requireNonNull(index, "index");
    if (index.isEmpty() || index.equals(".") || index.equals("..")) {
      throw new IllegalArgumentException("the index name must not be empty, . or ..");
    }
    if (!index.equals(index.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the index name must be lower case: " + index);
    }
    if (index.startsWith("-") || index.startsWith("_") || index.startsWith("+")) {
      throw new IllegalArgumentException("the index name must not start with -, _ or +: " + index);
    }
    for (char c : index.toCharArray()) {
      if ("\\/*?\"<>| ,#:".indexOf(c) >= 0 || c < 0x20) {
        throw new IllegalArgumentException("the index name must not contain '" + c + "': " + index);
      }
    }
    if (index.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("the index name is longer than 255 bytes");
    }
    return index;
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.getMillis() <= 0) {
      throw new IllegalArgumentException("the " + what + " must be positive, not " + d);
    }
    return d;
  }

  private static Duration notNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.getMillis() < 0) {
      throw new IllegalArgumentException("the " + what + " must not be negative, not " + d);
    }
    return d;
  }

  private static String blankToNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SearchSettings)) {
      return false;
    }
    SearchSettings s = (SearchSettings) o;
    return url.equals(s.url)
        && index.equals(s.index)
        && Objects.equals(user, s.user)
        && Objects.equals(passwordEnv, s.passwordEnv)
        && Objects.equals(passwordFile, s.passwordFile)
        && bulkSize == s.bulkSize
        && flushInterval.equals(s.flushInterval)
        && maxRetryDuration.equals(s.maxRetryDuration)
        && initialBackoff.equals(s.initialBackoff)
        && requestTimeout.equals(s.requestTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, index, user, passwordEnv, passwordFile, bulkSize, flushInterval, maxRetryDuration, initialBackoff, requestTimeout);
  }

  /** The settings without the password: where it is read from, never its value. */
  @Override
  public String toString() {
    return "SearchSettings{url=" + url + ", index=" + index + ", user=" + user + ", password "
        + passwordSource() + ", bulkSize=" + bulkSize + ", flushInterval=" + flushInterval
        + ", maxRetryDuration=" + maxRetryDuration + ", initialBackoff=" + initialBackoff
        + ", requestTimeout=" + requestTimeout + "}";
  }
}
