package dev.stallwatch.domain;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.joda.time.Duration;

/**
 * Everything that decides which stalls become which alerts: the catalog, rules, routes, send
 * window, once-per-period scope, time zone and allowed lateness. Immutable; {@link #defaults()} is
 * SPEC.md.
 */
public final class StallConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_ZONE = "Asia/Shanghai";

  /** The longest allowed lateness: 7 days. */
  public static final Duration MAX_ALLOWED_LATENESS = Duration.standardDays(7);

  private final StepCatalog catalog;
  private final List<Rule> rules;
  private final List<Route> routes;
  private final SendWindow sendWindow;
  private final PeriodScope oncePer;
  private final String zoneId;
  private final Duration allowedLateness;
  private final Map<String, Rule> ruleByClass;

  private StallConfig(Builder b) {
    this.catalog = Objects.requireNonNull(b.catalog, "catalog");
    this.rules = List.copyOf(b.rules);
    this.routes = List.copyOf(b.routes);
    this.sendWindow = b.sendWindow;
    this.oncePer = Objects.requireNonNull(b.oncePer, "oncePer");
    this.zoneId = ZoneId.of(b.zoneId).getId();
    this.allowedLateness = Objects.requireNonNull(b.allowedLateness, "allowedLateness");
    if (allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("allowedLateness must not be negative");
    }
    if (allowedLateness.isLongerThan(MAX_ALLOWED_LATENESS)) {
      throw new IllegalArgumentException("allowedLateness must be at most P7D, not " + allowedLateness);
    }
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("at least one rule is needed");
    }
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("at least one route is needed");
    }
    this.ruleByClass = new HashMap<>();
    Set<String> ruleNames = new HashSet<>();
    for (Rule rule : rules) {
      if (!ruleNames.add(rule.name())) {
        throw new IllegalArgumentException("rule " + rule.name() + " is listed twice");
      }
      for (String c : rule.classes()) {
        if (!catalog.contains(c)) {
          throw new IllegalArgumentException(
              "rule " + rule.name() + " names class " + c + ", which the catalog does not have");
        }
        Rule other = ruleByClass.put(c, rule);
        if (other != null) {
          throw new IllegalArgumentException(
              "class " + c + " is in both rule " + other.name() + " and rule " + rule.name());
        }
      }
    }
    Set<String> routeNames = new HashSet<>();
    Map<String, Route> routeByTopic = new HashMap<>();
    for (Route route : routes) {
      if (!routeNames.add(route.name())) {
        throw new IllegalArgumentException("route " + route.name() + " is listed twice");
      }
      // two writers of one topic: their exactly-once producers would fence each other for ever
      Route other = routeByTopic.putIfAbsent(route.topic(), route);
      if (other != null) {
        throw new IllegalArgumentException(
            "routes " + other.name() + " and " + route.name() + " share topic " + route.topic()
                + "; each route needs a topic of its own");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** SPEC.md's defaults: §3's catalog, §4's rules, §5's routes, no send window, once a day. */
  public static StallConfig defaults() {
    return builder().build();
  }

  public static List<Rule> defaultRules() {
    List<String> steps = new ArrayList<>();
    for (StepClass c : StepCatalog.defaults().classes()) {
      if (!c.name().equals("VIDEO")) {
        steps.add(c.name());
      }
    }
    return List.of(
        Rule.of("video", Set.of("VIDEO"), Duration.standardMinutes(30), "视频见证"),
        Rule.of("steps", Set.copyOf(steps), Duration.standardMinutes(8), "非视频见证"));
  }

  public static List<Route> defaultRoutes() {
    return List.of(
        Route.of("cc", "019-1", Route.DEFAULT_EVENT_NAME, true, "stream_mot_stream_account_break_ths_cc"),
        Route.of("mot", "019-2", Route.DEFAULT_EVENT_NAME, false, "stream_mot_stream_account_break_ths"));
  }

  public Builder toBuilder() {
    return new Builder()
        .catalog(catalog)
        .rules(rules)
        .routes(routes)
        .sendWindow(sendWindow)
        .oncePer(oncePer)
        .zoneId(zoneId)
        .allowedLateness(allowedLateness);
  }

  public StepCatalog catalog() {
    return catalog;
  }

  public List<Rule> rules() {
    return rules;
  }

  public List<Route> routes() {
    return routes;
  }

  public Optional<SendWindow> sendWindow() {
    return Optional.ofNullable(sendWindow);
  }

  public PeriodScope oncePer() {
    return oncePer;
  }

  public ZoneId zone() {
    return ZoneId.of(zoneId);
  }

  public String zoneId() {
    return zoneId;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  /** The rule watching {@code stepClass}, or null when none does (UNKNOWN, TERMINAL, unruled). */
  public Rule ruleFor(String stepClass) {
    return ruleByClass.get(stepClass);
  }

  public Rule rule(String name) {
    for (Rule r : rules) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no rule named " + name);
  }

  public Route route(String name) {
    for (Route r : routes) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no route named " + name);
  }

  /** The rules grouped by gap, shortest gap first: one session-window family per entry. */
  public TreeMap<Duration, List<Rule>> rulesByGap() {
    TreeMap<Duration, List<Rule>> byGap = new TreeMap<>();
    for (Rule r : rules) {
      byGap.computeIfAbsent(r.gap(), g -> new ArrayList<>()).add(r);
    }
    return byGap;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StallConfig)) {
      return false;
    }
    StallConfig c = (StallConfig) o;
    return catalog.equals(c.catalog)
        && rules.equals(c.rules)
        && routes.equals(c.routes)
        && Objects.equals(sendWindow, c.sendWindow)
        && oncePer.equals(c.oncePer)
        && zoneId.equals(c.zoneId)
        && allowedLateness.equals(c.allowedLateness);
  }

  @Override
  public int hashCode() {
    return Objects.hash(catalog, rules, routes, sendWindow, oncePer, zoneId, allowedLateness);
  }

  @Override
  public String toString() {
    return "StallConfig{rules="
        + rules
        + ", routes="
        + routes
        + ", sendWindow="
        + (sendWindow == null ? "off" : sendWindow)
        + ", oncePer="
        + oncePer
        + ", zone="
        + zoneId
        + ", allowedLateness="
        + allowedLateness
        + "}";
  }

  /** Builds a {@link StallConfig}; every part defaults to SPEC.md. */
  public static final class Builder {
    private StepCatalog catalog = StepCatalog.defaults();
    private List<Rule> rules = defaultRules();
    private List<Route> routes = defaultRoutes();
    private SendWindow sendWindow;
    private PeriodScope oncePer = PeriodScope.day();
    private String zoneId = DEFAULT_ZONE;
    private Duration allowedLateness = Duration.ZERO;

    private Builder() {}

    public Builder catalog(StepCatalog v) {
      catalog = v;
      return this;
    }

    public Builder rules(List<Rule> v) {
      rules = v;
      return this;
    }

    public Builder routes(List<Route> v) {
      routes = v;
      return this;
    }

    /** The send window, or null for none (the default). */
    public Builder sendWindow(SendWindow v) {
      sendWindow = v;
      return this;
    }

    public Builder oncePer(PeriodScope v) {
      oncePer = v;
      return this;
    }

    public Builder zoneId(String v) {
      zoneId = v;
      return this;
    }

    public Builder allowedLateness(Duration v) {
      allowedLateness = v;
      return this;
    }

    public StallConfig build() {
      return new StallConfig(this);
    }
  }
}
