package dev.stallwatch.pipeline.config;

import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.pipeline.options.KafkaOptions;
import dev.stallwatch.pipeline.options.StallOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a job is configured with: the stall rules and the names of its topics and tables, from the
 * config file (read once), then the command line, which wins.
 */
public record JobConfig(StallConfig stall, IoNames names) {
  /** SPEC.md's rules and the production names. */
  public static JobConfig defaults() {
    return new JobConfig(StallConfig.defaults(), IoNames.defaultNames());
  }

  /** {@code --config} (when given), then {@code --timeZone}; checks {@code --keyBuckets}. */
  public static JobConfig from(StallOptions options) {
    if (options.getKeyBuckets() < 1) {
      throw new IllegalArgumentException("--keyBuckets: must be at least 1, not " + options.getKeyBuckets());
    }
    return load("--config", options.getConfig(), options.getTimeZone());
  }

  /**
   * The config file {@code path} (SPEC's defaults when null), then {@code timeZone} when given;
   * a problem is one line naming {@code option} ({@code --config}, or {@code --compare} for the
   * report's second config).
   */
  public static JobConfig load(String option, String path, String timeZone) {
    JobConfig config = defaults();
    if (path != null) {
      Path file = Path.of(path);
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(option + ": cannot read " + file);
      }
      try {
        config = ConfigFile.load(file);
      } catch (ConfigFile.InvalidConfigException e) {
        throw new IllegalArgumentException(option + ": " + e.getMessage());
      }
    }
    if (timeZone != null) {
      try {
        TimeZones.check(timeZone);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--timeZone: " + e.getMessage());
      }
      config = new JobConfig(config.stall.toBuilder().zoneId(timeZone).build(), config.names);
    }
    return config;
  }

  /**
   * These names with {@code --inputTopic} and {@code --deadLetterTopic} when given, checked: each
   * a valid topic name, the input and dead-letter topics different, and no route writing either
   * (a route's topic is its own: StallConfig). Each clash is one line naming the option that made it.
   */
  public JobConfig withTopics(KafkaOptions options) {
    IoNames n = names;
    boolean inputGiven = options.getInputTopic() != null;
    boolean deadLetterGiven = options.getDeadLetterTopic() != null;
    if (inputGiven) {
      n = n.with("inputTopic", topicName("--inputTopic", options.getInputTopic()));
    }
    if (deadLetterGiven) {
      n = n.with("deadLetterTopic", topicName("--deadLetterTopic", options.getDeadLetterTopic()));
    }
    if (n.inputTopic().equals(n.deadLetterTopic())) {
      throw new IllegalArgumentException(
          deadLetterGiven
              ? "--deadLetterTopic: " + n.deadLetterTopic() + " is also the input topic"
              : inputGiven
                  ? "--inputTopic: " + n.inputTopic() + " is also the dead-letter topic"
                  : "--config: io.inputTopic and io.deadLetterTopic are both " + n.inputTopic());
    }
    for (Route route : stall.routes()) {
      clash(route, n.inputTopic(), inputGiven, "--inputTopic", "the input topic (io.inputTopic)");
      clash(route, n.deadLetterTopic(), deadLetterGiven, "--deadLetterTopic", "the dead-letter topic (io.deadLetterTopic)");
    }
    return new JobConfig(stall, n);
  }

  private static String topicName(String option, String value) {
    if (!value.matches(Route.TOPIC_NAME)) {
      throw new IllegalArgumentException(option + ": " + Route.topicNameProblem(value));
    }
    return value;
  }

  private static void clash(Route route, String topic, boolean given, String option, String what) {
    if (route.topic().equals(topic)) {
      throw new IllegalArgumentException(
          given
              ? option + ": " + topic + " is also the topic of route " + route.name()
              : "--config: route " + route.name() + "'s topic " + topic + " is also " + what);
    }
  }
}
