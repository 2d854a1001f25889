package dev.stallwatch.pipeline.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings hold secrets, and connection URLs as they may be shown. One rule for the JDBC
 * and the Kafka settings: a name is secret when it mentions a password, secret, credential, token
 * or passphrase, or a key that is not the start of a longer word ({@code sslkey}, {@code ssl.key},
 * {@code api_key} and {@code apikey} are secret; {@code keyStore} and {@code NON_KEYWORDS} are
 * not, {@code keyStorePassword} is by its password).
 */
public final class Secrets {
  private Secrets() {}

  /** What {@link #shownUrl} puts in place of a secret. */
  public static final String MASK = "***";

  private static final String[] WORDS = {"password", "secret", "credential", "token", "passphrase"};

  /**
   * {@code name=value} in a URL: the name after {@code ?}, {@code &}, {@code ;}, {@code (} or
   * {@code :}; the value up to the next {@code &}, {@code ;}, {@code (} or {@code )}, where a
   * backslash escapes the next character (H2's {@code \;}).
   */
  private static final Pattern PARAMETER =
      Pattern.compile("(?<=[?&;(:])([A-Za-z0-9_.%\\-]+)=((?:\\\\.|[^&;()\\\\])*)");

  /** {@code //user:password@host}: group 1 the user, group 2 the password. */
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)([^/?#@:;]*):([^/?#@;]*)(?=@)");

  /** Oracle's {@code jdbc:oracle:thin:user/password@host}: group 1 up to the user, group 2 the password. */
  private static final Pattern ORACLE_USER_PASSWORD =
      Pattern.compile("(?i)^(jdbc:oracle:[a-z0-9]+:[^@/:]+)/([^@]*)(?=@)");

  /** Whether a setting of this name holds a secret (see the class comment); case is ignored. */
  public static boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String word : WORDS) {
      if (n.contains(word)) {
        return true;
      }
    }
    for (int i = n.indexOf("key"); i >= 0; i = n.indexOf("key", i + 1)) {
      int after = i + 3;
      if (after == n.length() || !Character.isLetter(n.charAt(after))) {
        return true;
      }
    }
    return false;
  }

  /** A parameter of a URL: its name (percent-decoded) and where its value is. */
  public record Parameter(String name, int valueStart, int valueEnd) {}

  /**
   * The {@code name=value} parameters of a JDBC URL, whatever the driver's syntax: {@code
   * ?a=b&c=d} (PostgreSQL, MariaDB, Oracle's {@code ?oracle.net.x=y}), {@code ;A=B} (H2, SQL
   * Server), {@code (KEY=VALUE)} in an Oracle descriptor.
   */
  public static List<Parameter> parameters(String url) {
    List<Parameter> found = new ArrayList<>();
    Matcher m = PARAMETER.matcher(url);
    while (m.find()) {
      found.add(new Parameter(decode(m.group(1)), m.start(2), m.end(2)));
    }
    return found;
  }

  /** Whether the URL carries a password in its user info ({@code user:password@}). */
  public static boolean hasUserInfoPassword(String url) {
    return USER_INFO.matcher(url).find() || ORACLE_USER_PASSWORD.matcher(url).find();
  }

  /**
   * The URL as it may be shown: the value of every secret parameter and the password of any user
   * info replaced by {@value #MASK}. Null stays null.
   */
  public static String shownUrl(String url) {
    if (url == null) {
      return null;
    }
    StringBuilder shown = new StringBuilder(url);
    List<Parameter> secret = new ArrayList<>();
    for (Parameter p : parameters(url)) {
      if (isSecretName(p.name())) {
        secret.add(p);
      }
    }
    for (int i = secret.size() - 1; i >= 0; i--) {
      shown.replace(secret.get(i).valueStart(), secret.get(i).valueEnd(), MASK);
    }
    String masked = shown.toString();
    masked = USER_INFO.matcher(masked).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + ":" + MASK));
    return ORACLE_USER_PASSWORD
        .matcher(masked)
        .replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "/" + MASK));
  }

  /** {@code %XX} escapes decoded, so {@code ssl%70assword} is seen as {@code sslpassword}. */
  private static String decode(String name) {
    if (name.indexOf('%') < 0) {
      return name;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 2 < name.length()) {
        int hi = Character.digit(name.charAt(i + 1), 16);
        int lo = Character.digit(name.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      bytes.write(c);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
