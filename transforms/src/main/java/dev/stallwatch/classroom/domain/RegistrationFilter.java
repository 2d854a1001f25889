package dev.stallwatch.classroom.domain;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which user rows C6 counts (CLASSROOM.md C6): those whose {@code status} is {@code status} and
 * whose {@code name} neither contains one of {@code nameContains} nor starts with one of {@code
 * namePrefixes} — the test accounts. Every comparison ignores case ({@code Test}, {@code dm__x} and
 * {@code normal} match {@code test}, {@code DM__} and {@code NORMAL}); the patterns are plain text,
 * not SQL {@code LIKE} patterns ({@code _} is an underscore). A user without a name is no test
 * account; one without a status or a registration time counts nowhere. The patterns are
 * configuration; {@link #defaults()} are the article's.
 */
public record RegistrationFilter(List<String> nameContains, List<String> namePrefixes, String status)
    implements Serializable {

  public RegistrationFilter {
    nameContains = checked(nameContains, "nameContains");
    namePrefixes = checked(namePrefixes, "namePrefixes");
    Objects.requireNonNull(status, "status");
    if (status.isBlank()) {
      throw new IllegalArgumentException("status: must not be blank");
    }
    status = status.strip();
  }

  /** Contains {@code 测试} or {@code test}, starts with {@code DM__}; status {@code NORMAL}. */
  public static RegistrationFilter defaults() {
    return new RegistrationFilter(List.of("测试", "test"), List.of("DM__"), "NORMAL");
  }

  /** Whether {@code user} is a real, active registration that C6 counts. */
  public boolean counts(UserRow user) {
    if (user.registerTime() == null || user.status() == null || !status.equalsIgnoreCase(user.status().strip())) {
      return false;
    }
    return !isTestName(user.name());
  }

  /** Whether {@code name} is a test account's (null is not). */
  public boolean isTestName(String name) {
    if (name == null) {
      return false;
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (String c : nameContains) {
      if (n.contains(c.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    for (String p : namePrefixes) {
      if (n.startsWith(p.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> checked(List<String> patterns, String what) {
    Objects.requireNonNull(patterns, what);
    for (String p : patterns) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException(what + ": a pattern must not be blank: " + patterns);
      }
    }
    return List.copyOf(patterns);
  }
}
