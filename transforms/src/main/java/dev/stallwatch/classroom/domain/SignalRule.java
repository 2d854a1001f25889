package dev.stallwatch.classroom.domain;

import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.util.Objects;

/**
 * One row of C1's event table (CLASSROOM.md C1): the {@code event} a student classroom signal is
 * named when its {@code msg_data} fields match the row's cells. An empty cell matches anything,
 * a missing field included; a filled cell matches the field's trimmed text exactly (values are
 * case-sensitive, as the article's SQL compared them).
 */
public record SignalRule(String event, String targetId, String targetType, String action, String subAction)
    implements Serializable {

  public SignalRule {
    Objects.requireNonNull(event, "event");
    targetId = cell(targetId, "target_id");
    targetType = cell(targetType, "target_type");
    action = cell(action, "action");
    subAction = cell(subAction, "sub_action");
    event = Text.strip(event);
    if (event.isEmpty()) {
      throw new IllegalArgumentException("a signal rule needs an event name");
    }
    if (Text.firstControl(event) >= 0 || event.indexOf('|') >= 0) {
      throw new IllegalArgumentException("event name '" + event + "' may hold neither '|' nor control characters");
    }
  }

  private static String cell(String value, String name) {
    String v = value == null ? "" : Text.strip(value);
    if (v.indexOf('|') >= 0 || Text.firstControl(v) >= 0) {
      throw new IllegalArgumentException(name + " cell '" + v + "' may hold neither '|' nor control characters");
    }
    return v;
  }

  /** Whether a message with these (trimmed, empty when missing) {@code msg_data} fields matches. */
  public boolean matches(String targetId, String targetType, String action, String subAction) {
    return cellMatches(this.targetId, targetId)
        && cellMatches(this.targetType, targetType)
        && cellMatches(this.action, action)
        && cellMatches(this.subAction, subAction);
  }

  private static boolean cellMatches(String cell, String value) {
    return cell.isEmpty() || cell.equals(value);
  }

  /** The rule as a line of {@link SignalRules#parse}: {@code EVENT | target_id | target_type | action | sub_action}. */
  public String toLine() {
    return event + " | " + targetId + " | " + targetType + " | " + action + " | " + subAction;
  }
}
