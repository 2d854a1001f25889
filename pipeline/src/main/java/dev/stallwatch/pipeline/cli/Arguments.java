package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.options.Range;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/**
 * A command's arguments, checked before Beam reads them, so that each mistake is one line naming
 * the option: an unknown option (with the nearest known one), an option given twice, a value of
 * the wrong type, an unknown runner. Then parsed into the command's options.
 */
final class Arguments {
  /** Properties of our own interfaces, by name: the getter tells the type. */
  private final Map<String, Method> own;
  /** Properties of Beam's and the runners' interfaces. */
  private final Map<String, Method> beams;
  private final Map<String, String> given = new LinkedHashMap<>();

  private Arguments(Map<String, Method> own, Map<String, Method> beams) {
    this.own = own;
    this.beams = beams;
  }

  /**
   * Checks {@code args} against the options of {@code types} (StallWatch's) and of every options
   * interface Beam and the runners registered; {@code extra} names options the launch describes.
   */
  static Arguments check(String[] args, Collection<Class<? extends PipelineOptions>> types, Collection<String> extra) {
    types.forEach(PipelineOptionsFactory::register);
    Map<String, Method> own = new TreeMap<>();
    for (Class<? extends PipelineOptions> t : types) {
      own.putAll(properties(t, true));
    }
    Map<String, Method> beams = new TreeMap<>();
    for (Class<? extends PipelineOptions> t : PipelineOptionsFactory.getRegisteredOptions()) {
      if (!t.getName().startsWith("dev.stallwatch.")) {
        beams.putAll(properties(t, false));
      }
    }
    Arguments a = new Arguments(own, beams);
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "' (options are written --name=value)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? null : arg.substring(eq + 1);
      Method getter = own.containsKey(name) ? own.get(name) : beams.get(name);
      if (getter == null && !extra.contains(name)) {
        throw new UsageException("--" + name + ": unknown option" + a.suggestion(name, extra));
      }
      boolean repeatable = getter != null && (getter.getReturnType().isArray() || List.class.isAssignableFrom(getter.getReturnType()));
      if (a.given.containsKey(name) && !repeatable) {
        throw new UsageException("--" + name + ": given twice");
      }
      a.given.put(name, value);
      if (getter != null) {
        checkValue(name, value, getter);
      }
    }
    return a;
  }

  /** Whether the command line gives {@code option}. */
  boolean has(String option) {
    return given.containsKey(option);
  }

  /** Parses {@code args} into {@code type}; Beam's own complaints come back as one line. */
  static <T extends PipelineOptions> T parse(String[] args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException | IllegalStateException e) {
      String message = e.getMessage() == null ? "invalid arguments" : e.getMessage().lines().findFirst().orElse("");
      java.util.regex.Matcher missing = java.util.regex.Pattern.compile("Missing required value for \\[--(\\w+)").matcher(message);
      if (missing.find()) {
        throw new UsageException("--" + missing.group(1) + ": required");
      }
      throw new UsageException(message);
    }
  }

  private static void checkValue(String name, String value, Method getter) {
    Class<?> type = getter.getReturnType();
    if (name.equals("runner")) {
      checkRunner(value);
      return;
    }
    if (type == boolean.class || type == Boolean.class) {
      if (value != null && !value.equals("true") && !value.equals("false")) {
        throw new UsageException("--" + name + ": expected true or false, not '" + value + "'");
      }
      return;
    }
    if (value == null) {
      throw new UsageException("--" + name + ": needs a value (--" + name + "=...)");
    }
    boolean whole = type == int.class || type == Integer.class || type == long.class || type == Long.class;
    boolean decimal = type == double.class || type == Double.class;
    if (!whole && !decimal) {
      return;
    }
    String v = value.trim();
    BigDecimal number;
    try {
      if (whole) {
        number = new BigDecimal(new BigInteger(v));
      } else {
        double d = Double.parseDouble(v);
        number = Double.isNaN(d) || Double.isInfinite(d) ? null : BigDecimal.valueOf(d);
      }
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": expected " + (whole ? "a whole number" : "a number") + ", not '" + value + "'");
    }
    Range range = getter.getAnnotation(Range.class);
    BigDecimal min = range == null ? null : BigDecimal.valueOf(range.min());
    BigDecimal max = range == null ? null : BigDecimal.valueOf(range.max());
    if (whole) {
      boolean isInt = type == int.class || type == Integer.class;
      BigDecimal typeMin = BigDecimal.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
      BigDecimal typeMax = BigDecimal.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
      if (range == null) {
        if (number.compareTo(typeMin) < 0 || number.compareTo(typeMax) > 0) {
          throw new UsageException(
              "--" + name + ": must be a whole number from " + plain(typeMin) + " to " + plain(typeMax) + ", not " + v);
        }
        return;
      }
      min = min.max(typeMin);
      max = max.min(typeMax);
    }
    if (range != null && (number == null || number.compareTo(min) < 0 || number.compareTo(max) > 0)) {
      throw new UsageException(
          "--" + name + ": must be between " + plain(min) + " and " + plain(max)
              + (range.unit().isEmpty() ? "" : " " + range.unit()) + ", not " + v);
    }
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  /** The runners this build holds, by their short names, without Beam's test runners. */
  static TreeSet<String> knownRunners() {
    TreeSet<String> names = new TreeSet<>();
    for (PipelineRunnerRegistrar r : ServiceLoader.load(PipelineRunnerRegistrar.class)) {
      for (Class<? extends PipelineRunner<?>> c : r.getPipelineRunners()) {
        if (!c.getSimpleName().startsWith("Test")) {
          names.add(c.getSimpleName());
        }
      }
    }
    return names;
  }

  private static void checkRunner(String value) {
    TreeSet<String> known = knownRunners();
    String simple = value == null ? "" : value.substring(value.lastIndexOf('.') + 1);
    if (!known.contains(simple)) {
      throw new UsageException(
          "--runner: unknown runner '" + value + "' (known: " + String.join(", ", known) + ")");
    }
  }

  private String suggestion(String name, Collection<String> extra) {
    List<String> candidates = new ArrayList<>(own.keySet());
    candidates.addAll(extra);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4)
        ? " (did you mean --" + best + "?)"
        : " (--help lists the options)";
  }

  /** Edit distance, with a swap of neighbours as one edit. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * The properties {@code type} declares or inherits, by option name; with {@code ownOnly} only
   * those of StallWatch's interfaces and {@link PipelineOptions}' own.
   */
  static Map<String, Method> properties(Class<?> type, boolean ownOnly) {
    Map<String, Method> props = new TreeMap<>();
    for (Method m : type.getMethods()) {
      String name = optionName(m);
      if (name == null) {
        continue;
      }
      if (ownOnly && !m.getDeclaringClass().getName().startsWith("dev.stallwatch.") && m.getDeclaringClass() != PipelineOptions.class) {
        continue;
      }
      props.put(name, m);
    }
    return props;
  }

  /** The option a getter reads ({@code getInputTopic} → {@code inputTopic}), or null for another method. */
  static String optionName(Method m) {
    if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) {
      return null;
    }
    String n = m.getName();
    String bare = n.startsWith("get") && n.length() > 3 ? n.substring(3) : n.startsWith("is") && n.length() > 2 ? n.substring(2) : null;
    return bare == null ? null : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
  }
}
