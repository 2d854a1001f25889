package dev.stallwatch.domain;

import java.io.Serializable;
import java.util.Objects;

/**
 * A route (SPEC §5): where a stall is offered as an alert — its event id, how its event names read,
 * whether blacklisted customers are excluded, and its Kafka topic.
 *
 * <p>The event name is a template: {@code {gap}} becomes the rule's gap in minutes, {@code {label}}
 * the rule's label and {@code {route}} the route's name.
 */
public final class Route implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * What a topic name may be: letters, digits, {@code _ . $ -}, 1 to 249 characters (Kafka's
   * length limit). The config file's {@code io} names and the command line's topics follow it too.
   */
  public static final String TOPIC_NAME = "[A-Za-z0-9_.$-]{1,249}";

  /** The problem with a name that does not follow {@link #TOPIC_NAME}, for messages. */
  public static String topicNameProblem(String name) {
    return "expected a topic name (letters, digits, _ . $ -; at most 249), not '" + name + "'";
  }

  public static final String DEFAULT_EVENT_NAME = "开户流程中断{gap}min转化-{route}（{label}）";

  private final String name;
  private final String eventId;
  private final String eventNameTemplate;
  private final boolean excludesBlacklisted;
  private final String topic;

  private Route(
      String name,
      String eventId,
      String eventNameTemplate,
      boolean excludesBlacklisted,
      String topic) {
    this.name = Objects.requireNonNull(name, "name");
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.eventNameTemplate = Objects.requireNonNull(eventNameTemplate, "eventName");
    this.excludesBlacklisted = excludesBlacklisted;
    this.topic = Objects.requireNonNull(topic, "topic");
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "route name '" + name + "' must be letters, digits, '_' or '-'");
    }
    if (eventId.isEmpty()) {
      throw new IllegalArgumentException("route " + name + " needs an event id");
    }
    if (!topic.matches(TOPIC_NAME)) {
      throw new IllegalArgumentException("route " + name + ": topic: " + topicNameProblem(topic));
    }
  }

  public static Route of(
      String name,
      String eventId,
      String eventNameTemplate,
      boolean excludesBlacklisted,
      String topic) {
    return new Route(name, eventId, eventNameTemplate, excludesBlacklisted, topic);
  }

  public String name() {
    return name;
  }

  public String eventId() {
    return eventId;
  }

  public String eventNameTemplate() {
    return eventNameTemplate;
  }

  public boolean excludesBlacklisted() {
    return excludesBlacklisted;
  }

  public String topic() {
    return topic;
  }

  /** This route's event name for a stall under {@code rule}. */
  public String eventName(Rule rule) {
    return eventNameTemplate
        .replace("{gap}", Long.toString(rule.gapMinutes()))
        .replace("{label}", rule.label())
        .replace("{route}", name);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Route)) {
      return false;
    }
    Route r = (Route) o;
    return name.equals(r.name)
        && eventId.equals(r.eventId)
        && eventNameTemplate.equals(r.eventNameTemplate)
        && excludesBlacklisted == r.excludesBlacklisted
        && topic.equals(r.topic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, eventId, eventNameTemplate, excludesBlacklisted, topic);
  }

  @Override
  public String toString() {
    return name + "(" + eventId + (excludesBlacklisted ? ", excludes blacklist" : "") + ")";
  }
}
