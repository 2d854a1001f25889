package dev.stallwatch.domain;

import java.io.Serializable;
import java.util.Objects;
import java.util.Set;
import org.joda.time.Duration;

/**
 * A stall rule (SPEC §4): the classes it watches and the inactivity gap after which an applicant
 * whose last event is one of them has stalled. {@code label} is the rule's words in alert names
 * (e.g. 视频见证).
 */
public final class Rule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The longest gap a rule may have: 7 days (10080 minutes), also the config file's bound. */
  public static final Duration MAX_GAP = Duration.standardDays(7);

  private final String name;
  private final Set<String> classes;
  private final Duration gap;
  private final String label;

  private Rule(String name, Set<String> classes, Duration gap, String label) {
    this.name = Objects.requireNonNull(name, "name");
    this.classes = Set.copyOf(classes);
    this.gap = Objects.requireNonNull(gap, "gap");
    this.label = Objects.requireNonNull(label, "label");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a rule needs a name");
    }
    if (this.classes.isEmpty()) {
      throw new IllegalArgumentException("rule " + name + " watches no class");
    }
    if (gap.getMillis() <= 0 || gap.getMillis() % 60_000 != 0) {
      throw new IllegalArgumentException(
          "rule " + name + " needs a gap of a whole, positive number of minutes, not " + gap);
    }
    if (gap.isLongerThan(MAX_GAP)) {
      throw new IllegalArgumentException(
          "rule " + name + " needs a gap of at most " + MAX_GAP.getStandardMinutes() + " minutes (7 days), not "
              + gap.getStandardMinutes());
    }
  }

  public static Rule of(String name, Set<String> classes, Duration gap, String label) {
    return new Rule(name, classes, gap, label);
  }

  public String name() {
    return name;
  }

  public Set<String> classes() {
    return classes;
  }

  public Duration gap() {
    return gap;
  }

  public long gapMinutes() {
    return gap.getStandardMinutes();
  }

  public String label() {
    return label;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Rule)) {
      return false;
    }
    Rule r = (Rule) o;
    return name.equals(r.name)
        && classes.equals(r.classes)
        && gap.equals(r.gap)
        && label.equals(r.label);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, classes, gap, label);
  }

  @Override
  public String toString() {
    return name + "(" + gapMinutes() + "min " + classes + ")";
  }
}
