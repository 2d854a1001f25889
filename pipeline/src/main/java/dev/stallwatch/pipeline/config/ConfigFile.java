package dev.stallwatch.pipeline.config;

import dev.stallwatch.domain.PeriodScope;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StepCatalog;
import dev.stallwatch.domain.StepClass;
import dev.stallwatch.text.JsonReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.joda.time.Duration;

/**
 * Reads a StallWatch configuration file (JSON). Every key is optional and defaults to SPEC.md;
 * unknown keys are errors, and every error names the key and the problem. The format is
 * in docs/CONFIGURATION.md.
 */
public final class ConfigFile extends ConfigReader {
  private ConfigFile(String source) {
    super(source);
  }

  /** The problem with a configuration, naming the file and the key. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message) {
      super(message);
    }
  }

  /** The file at {@code path}, read once: the stall configuration and its {@code io} names. */
  public static JobConfig load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigException(path + ": cannot read: " + e.getMessage());
    }
    return parse(text, path.toString());
  }

  /** {@code text}, a configuration read from {@code source} (named in errors). */
  public static JobConfig parse(String text, String source) {
    Object tree;
    try {
      tree = JsonReader.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(source + ": not valid JSON: " + e.getMessage());
    }
    ConfigFile reader = new ConfigFile(source);
    Map<String, Object> root = reader.object(tree, "the top level");
    try {
      return new JobConfig(reader.config(root), reader.names(root));
    } catch (InvalidConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(source + ": " + e.getMessage());
    }
  }

  private IoNames names(Map<String, Object> root) {
    IoNames names = IoNames.defaultNames();
    if (root.get("io") == null) {
      return names;
    }
    Map<String, Object> io = object(root.get("io"), "io");
    allowOnly(io, "io.", IoNames.DEFAULTS.keySet().toArray(new String[0]));
    for (Map.Entry<String, Object> e : io.entrySet()) {
      String value = text(e.getValue(), "io." + e.getKey());
      if (!value.matches(Route.TOPIC_NAME)) {
        throw error(
            "io." + e.getKey(), "expected a topic or table name (letters, digits, _ . $ -; at most 249), not '" + value + "'");
      }
      names = names.with(e.getKey(), value);
    }
    return names;
  }

  private StallConfig config(Map<String, Object> root) {
    allowOnly(
        root,
        "",
        "timeZone",
        "allowedLateness",
        "oncePer",
        "sendWindow",
        "catalog",
        "rules",
        "routes",
        "io");
    StallConfig.Builder b = StallConfig.builder();
    if (root.containsKey("timeZone")) {
      String zone = text(root.get("timeZone"), "timeZone");
      try {
        TimeZones.check(zone);
      } catch (IllegalArgumentException e) {
        throw error("timeZone", e.getMessage());
      }
      b.zoneId(zone);
    }
    if (root.containsKey("allowedLateness")) {
      b.allowedLateness(duration(root.get("allowedLateness"), "allowedLateness", StallConfig.MAX_ALLOWED_LATENESS));
    }
    if (root.containsKey("oncePer")) {
      b.oncePer(scope(text(root.get("oncePer"), "oncePer")));
    }
    if (root.containsKey("sendWindow") && root.get("sendWindow") != null) {
      b.sendWindow(sendWindow(object(root.get("sendWindow"), "sendWindow")));
    }
    StepCatalog catalog = StepCatalog.defaults();
    if (root.containsKey("catalog")) {
      catalog = catalog(object(root.get("catalog"), "catalog"));
      b.catalog(catalog);
    }
    if (root.containsKey("rules")) {
      b.rules(rules(list(root.get("rules"), "rules")));
    }
    if (root.containsKey("routes")) {
      b.routes(routes(list(root.get("routes"), "routes")));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(source + ": " + e.getMessage());
    }
  }

  private PeriodScope scope(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "day":
        return PeriodScope.day();
      case "lifetime":
        return PeriodScope.lifetime();
      default:
        Duration period;
        try {
          period = duration(value, "oncePer", PeriodScope.MAX_FIXED);
        } catch (InvalidConfigException e) {
          period = Duration.ZERO;
        }
        if (period.getMillis() == 0) {
          throw error(
              "oncePer",
              "expected day, lifetime or an ISO-8601 duration from PT0.001S to P366D, not '" + value + "'");
        }
        return PeriodScope.fixed(period);
    }
  }

  private SendWindow sendWindow(Map<String, Object> w) {
    allowOnly(w, "sendWindow.", "open", "close", "policy");
    LocalTime open = time(required(w, "open", "sendWindow.open"), "sendWindow.open");
    LocalTime close = time(required(w, "close", "sendWindow.close"), "sendWindow.close");
    String policy = text(required(w, "policy", "sendWindow.policy"), "sendWindow.policy");
    SendWindow.Policy p;
    try {
      p = SendWindow.Policy.valueOf(policy.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error("sendWindow.policy", "expected DROP or DEFER, not '" + policy + "'");
    }
    try {
      return SendWindow.of(open, close, p);
    } catch (IllegalArgumentException e) {
      throw error("sendWindow", e.getMessage());
    }
  }

  private StepCatalog catalog(Map<String, Object> c) {
    allowOnly(c, "catalog.", "terminalCodes", "classes");
    Set<String> terminal =
        c.containsKey("terminalCodes")
            ? new LinkedHashSet<>(texts(c.get("terminalCodes"), "catalog.terminalCodes"))
            : StepCatalog.defaults().terminalCodes();
    List<StepClass> classes = new ArrayList<>();
    List<Object> items = list(required(c, "classes", "catalog.classes"), "catalog.classes");
    for (int i = 0; i < items.size(); i++) {
      String key = "catalog.classes[" + i + "]";
      Map<String, Object> m = object(items.get(i), key);
      allowOnly(m, key + ".", "name", "stepCode", "stepName", "codes", "codesWithoutBranch", "codesWithBranch");
      StepClass sc =
          StepClass.of(
              text(required(m, "name", key + ".name"), key + ".name"),
              text(required(m, "stepCode", key + ".stepCode"), key + ".stepCode"),
              text(required(m, "stepName", key + ".stepName"), key + ".stepName"),
              m.containsKey("codes") ? texts(m.get("codes"), key + ".codes") : List.of());
      if (m.containsKey("codesWithoutBranch")) {
        sc = sc.withCodesWithoutBranch(texts(m.get("codesWithoutBranch"), key + ".codesWithoutBranch"));
      }
      if (m.containsKey("codesWithBranch")) {
        sc = sc.withCodesWithBranch(texts(m.get("codesWithBranch"), key + ".codesWithBranch"));
      }
      classes.add(sc);
    }
    try {
      return StepCatalog.of(classes, terminal);
    } catch (IllegalArgumentException e) {
      throw error("catalog", e.getMessage());
    }
  }

  private List<Rule> rules(List<Object> items) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String key = "rules[" + i + "]";
      Map<String, Object> m = object(items.get(i), key);
      allowOnly(m, key + ".", "name", "classes", "gapMinutes", "label");
      Object gap = required(m, "gapMinutes", key + ".gapMinutes");
      if (!(gap instanceof BigDecimal) || ((BigDecimal) gap).signum() <= 0 || ((BigDecimal) gap).scale() > 0) {
        throw error(key + ".gapMinutes", "expected a whole, positive number of minutes, not " + gap);
      }
      long maxGap = Rule.MAX_GAP.getStandardMinutes();
      if (((BigDecimal) gap).compareTo(BigDecimal.valueOf(maxGap)) > 0) {
        throw error(key + ".gapMinutes", "must be at most " + maxGap + " (7 days), not " + gap);
      }
      try {
        rules.add(
            Rule.of(
                text(required(m, "name", key + ".name"), key + ".name"),
                new HashSet<>(texts(required(m, "classes", key + ".classes"), key + ".classes")),
                Duration.standardMinutes(((BigDecimal) gap).longValueExact()),
                m.containsKey("label") ? text(m.get("label"), key + ".label") : ""));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw error(key, e.getMessage());
      }
    }
    return rules;
  }

  private List<Route> routes(List<Object> items) {
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String key = "routes[" + i + "]";
      Map<String, Object> m = object(items.get(i), key);
      allowOnly(m, key + ".", "name", "eventId", "eventName", "excludeBlacklist", "topic");
      Object exclude = m.getOrDefault("excludeBlacklist", Boolean.FALSE);
      if (!(exclude instanceof Boolean)) {
        throw error(key + ".excludeBlacklist", "expected true or false, not " + exclude);
      }
      String name = text(required(m, "name", key + ".name"), key + ".name");
      String topic = m.containsKey("topic") ? text(m.get("topic"), key + ".topic") : "stallwatch_" + name;
      if (m.containsKey("topic") && !topic.matches(Route.TOPIC_NAME)) {
        throw error(key + ".topic", Route.topicNameProblem(topic));
      }
      try {
        routes.add(
            Route.of(
                name,
                text(required(m, "eventId", key + ".eventId"), key + ".eventId"),
                m.containsKey("eventName")
                    ? text(m.get("eventName"), key + ".eventName")
                    : Route.DEFAULT_EVENT_NAME,
                (Boolean) exclude,
                topic));
      } catch (IllegalArgumentException e) {
        throw error(key, e.getMessage());
      }
    }
    return routes;
  }
}
