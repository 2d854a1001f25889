package dev.stallwatch.pipeline.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names of the streaming job's topics and tables besides the route topics (which belong to the
 * routes): the change-stream topic, the dead-letter topic, the audit table and the dimension
 * tables. Defaults are the production names; the configuration file's {@code io} section and the
 * command line change them.
 */
public final class IoNames implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Each name's key in the configuration file, with its default. */
  public static final Map<String, String> DEFAULTS = defaults();

  private final Map<String, String> names;

  private IoNames(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("inputTopic", "rt_crhkh_crh_wskh_userqueryextinfo");
    d.put("deadLetterTopic", "stallwatch_dead_letter");
    d.put("auditTable", "E_EVENT_FLOW_STREAM");
    d.put("blacklistTable", "STALLWATCH_BLACKLIST");
    d.put("existingCustomerTable", "STALLWATCH_EXISTING_CUSTOMER");
    d.put("channelTable", "STALLWATCH_CHANNEL");
    return Map.copyOf(d);
  }

  public static IoNames defaultNames() {
    return new IoNames(DEFAULTS);
  }

  /** These names with {@code key} set to {@code value}; the key must be one of {@link #DEFAULTS}. */
  public IoNames with(String key, String value) {
    if (!DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException("unknown name '" + key + "'");
    }
    Map<String, String> m = new LinkedHashMap<>(names);
    m.put(key, value);
    return new IoNames(m);
  }

  public String inputTopic() {
    return names.get("inputTopic");
  }

  public String deadLetterTopic() {
    return names.get("deadLetterTopic");
  }

  public String auditTable() {
    return names.get("auditTable");
  }

  public String blacklistTable() {
    return names.get("blacklistTable");
  }

  public String existingCustomerTable() {
    return names.get("existingCustomerTable");
  }

  public String channelTable() {
    return names.get("channelTable");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IoNames && ((IoNames) o).names.equals(names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return new java.util.TreeMap<>(names).toString();
  }
}
