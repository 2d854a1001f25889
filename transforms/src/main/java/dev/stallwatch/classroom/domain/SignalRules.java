package dev.stallwatch.classroom.domain;

import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * C1's event table as data: an ordered list of {@link SignalRule}s, the first that matches names
 * the signal (CLASSROOM.md C1). The article hard-wired one {@code INSERT ... WHERE} per event;
 * here the table is configuration: {@link #defaults()} is CLASSROOM.md's table, {@link #parse} reads
 * another from text, one rule a line, cells separated by {@code |} as the table is written:
 *
 * <pre>
 * # event      | target_id | target_type | action | sub_action
 * SHAPE_MOVE   |           | shape       | move   |
 * MATCH_WRONG  | match     | template    | match  | drop:wrong
 * </pre>
 *
 * Blank lines and lines starting with {@code #} are skipped; an event may have several rules.
 */
public final class SignalRules implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<SignalRule> rules;

  private SignalRules(List<SignalRule> rules) {
    this.rules = List.copyOf(rules);
    if (this.rules.isEmpty()) {
      throw new IllegalArgumentException("at least one signal rule is needed");
    }
  }

  public static SignalRules of(List<SignalRule> rules) {
    return new SignalRules(rules);
  }

  /** CLASSROOM.md C1's table, in its order. */
  public static SignalRules defaults() {
    return of(
        List.of(
            new SignalRule("SHAPE_MOVE", "", "shape", "move", ""),
            new SignalRule("SHAPE_HOVER", "", "shape", "mouse", "over"),
            new SignalRule("SHAPE_DRAW", "", "shape", "add", ""),
            new SignalRule("AUDIO_PLAY", "", "template", "audio", "start"),
            new SignalRule("AUDIO_PAUSE", "", "template", "audio", "pause"),
            new SignalRule("MATCH_WRONG", "match", "template", "match", "drop:wrong"),
            new SignalRule("MATCH_CORRECT", "match", "template", "match", "drop:correct")));
  }

  /**
   * The rules in {@code text} (see the class comment).
   *
   * @throws IllegalArgumentException naming the line when one is not five cells or a cell is not
   *     allowed, or when there is no rule
   */
  public static SignalRules parse(String text) {
    List<SignalRule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = Text.strip(lines[i]);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split("\\|", -1);
      if (cells.length != 5) {
        throw new IllegalArgumentException(
            "signal rules line " + (i + 1) + ": needs 5 cells (event | target_id | target_type | action | sub_action), not "
                + cells.length);
      }
      try {
        rules.add(new SignalRule(cells[0], cells[1], cells[2], cells[3], cells[4]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("signal rules line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return of(rules);
  }

  public List<SignalRule> rules() {
    return rules;
  }

  /** The event of the first rule matching these {@code msg_data} fields, or null when none does. */
  public String eventOf(String targetId, String targetType, String action, String subAction) {
    for (SignalRule r : rules) {
      if (r.matches(targetId, targetType, action, subAction)) {
        return r.event();
      }
    }
    return null;
  }

  /** The rules as {@link #parse} reads them. */
  public String toText() {
    StringBuilder sb = new StringBuilder("# event | target_id | target_type | action | sub_action\n");
    for (SignalRule r : rules) {
      sb.append(r.toLine()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignalRules && rules.equals(((SignalRules) o).rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "SignalRules" + rules;
  }
}
