package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.options.Placeholder;
import dev.stallwatch.pipeline.options.ShownDefault;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The help of a command, generated from its options interfaces and from the launch defaults that
 * decide the rest, so the text cannot drift from what runs. Options are listed by group (each
 * options interface), required ones first.
 */
final class Help {
  private Help() {}

  /** The command list of {@code stallwatch --help}. */
  static String usage(Map<String, Command> commands) {
    StringBuilder sb = new StringBuilder("usage: stallwatch <command> [--option=value ...]\n\nCommands:\n");
    commands.forEach((name, c) -> sb.append(String.format("  %-10s %s%n", name, c.summary())));
    sb.append(String.format("  %-10s %s%n", "help", "show this text"));
    return sb.append("\nRun 'stallwatch <command> --help' for the options of a command;")
        .append(" docs/CONFIGURATION.md describes them all.\n")
        .toString();
  }

  /**
   * The help of {@code command}: the options of {@code types}, each with its default as {@code
   * defaults} decide it when they name it (then {@code embedded}'s, marked as such), else as its
   * annotations say; {@code shown} gives defaults decided elsewhere (the config file's names).
   */
  static String of(
      String command,
      String what,
      List<Class<? extends PipelineOptions>> types,
      List<LaunchDefault> defaults,
      List<LaunchDefault> embedded,
      Map<String, String> shown) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: stallwatch ").append(command).append(" [--option=value ...]\n\n").append(what).append('\n');
    Set<String> listed = new LinkedHashSet<>();
    Map<String, List<String[]>> groups = new LinkedHashMap<>();
    List<String[]> required = new ArrayList<>();
    for (Class<? extends PipelineOptions> type : types) {
      for (Class<?> group : groups(type)) {
        List<String[]> rows = new ArrayList<>();
        for (Method m : sorted(group)) {
          Description d = m.getAnnotation(Description.class);
          String name = Arguments.optionName(m);
          if (d == null || name == null || !listed.add(name)) {
            continue;
          }
          boolean isRequired = m.getAnnotation(Validation.Required.class) != null;
          String[] row = {"--" + name + "=" + placeholder(m), d.value(), isRequired ? "required" : defaultOf(name, m, defaults, embedded, shown)};
          (isRequired ? required : rows).add(row);
        }
        if (!rows.isEmpty()) {
          groups.computeIfAbsent(heading(group), k -> new ArrayList<>()).addAll(rows);
        }
      }
    }
    List<String[]> launch = new ArrayList<>();
    if (!listed.contains("runner")) {
      launch.add(new String[] {"--runner=RUNNER", "The runner: " + String.join(" or ", Arguments.knownRunners()), defaultOf("runner", null, defaults, embedded, Map.of("runner", "DirectRunner"))});
      listed.add("runner");
    }
    for (LaunchDefault d : concat(defaults, embedded)) {
      if (d.description() != null && listed.add(d.option())) {
        launch.add(new String[] {"--" + d.option() + "=" + d.placeholder(), d.description(), defaultOf(d.option(), null, defaults, embedded, shown)});
      }
    }
    if (!required.isEmpty()) {
      rows(sb, "Required", required);
    }
    groups.forEach((heading, rows) -> rows(sb, heading, rows));
    rows(sb, "Runner", launch);
    sb.append("\nOther Beam and runner options pass through to the runner.\n");
    return sb.toString();
  }

  private static void rows(StringBuilder sb, String heading, List<String[]> rows) {
    sb.append('\n').append(heading).append(":\n");
    for (String[] r : rows) {
      sb.append(String.format("  %s%n      %s (%s)%n", r[0], r[1], r[2]));
    }
  }

  private static String defaultOf(
      String name, Method m, List<LaunchDefault> defaults, List<LaunchDefault> embedded, Map<String, String> shown) {
    String base = null;
    for (LaunchDefault d : defaults) {
      if (d.option().equals(name)) {
        base = base == null ? d.shown() : base + "; " + d.shown();
      }
    }
    if (base == null && shown.containsKey(name)) {
      base = shown.get(name);
    }
    if (base == null && m != null) {
      base = annotated(m);
    }
    if (base == null) {
      base = "none";
    }
    for (LaunchDefault d : embedded) {
      if (d.option().equals(name)) {
        base += "; embedded default: " + d.shown();
      }
    }
    return "default: " + base;
  }

  private static String annotated(Method m) {
    if (m.getAnnotation(ShownDefault.class) != null) {
      return m.getAnnotation(ShownDefault.class).value();
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Double.class).value());
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    }
    return null;
  }

  private static String placeholder(Method m) {
    if (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class) {
      return "true|false";
    }
    Placeholder p = m.getAnnotation(Placeholder.class);
    return p == null ? "N" : p.value();
  }

  /** {@code type} and the StallWatch interfaces it extends, the type itself first. */
  private static List<Class<?>> groups(Class<?> type) {
    List<Class<?>> out = new ArrayList<>();
    out.add(type);
    for (Class<?> parent : type.getInterfaces()) {
      if (parent.getName().startsWith("dev.stallwatch.")) {
        for (Class<?> g : groups(parent)) {
          if (!out.contains(g)) {
            out.add(g);
          }
        }
      }
    }
    return out;
  }

  /** A group's heading: its interface's description, else its name without "Options". */
  private static String heading(Class<?> group) {
    Description d = group.getAnnotation(Description.class);
    return d != null ? d.value() : group.getSimpleName().replace("Options", "");
  }

  private static List<Method> sorted(Class<?> group) {
    List<Method> methods = new ArrayList<>(List.of(group.getDeclaredMethods()));
    methods.sort(java.util.Comparator.comparing(Method::getName));
    return methods;
  }

  private static List<LaunchDefault> concat(List<LaunchDefault> a, List<LaunchDefault> b) {
    List<LaunchDefault> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
