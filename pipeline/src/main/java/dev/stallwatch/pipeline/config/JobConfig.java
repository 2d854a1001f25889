package dev.stallwatch.pipeline.config;

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
    JobConfig config = defaults();
    if (options.getConfig() != null) {
      Path path = Path.of(options.getConfig());
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("--config: cannot read " + path);
      }
      try {
        config = ConfigFile.load(path);
      } catch (ConfigFile.InvalidConfigException e) {
        throw new IllegalArgumentException("--config: " + e.getMessage());
      }
    }
    if (options.getTimeZone() != null) {
      try {
        TimeZones.check(options.getTimeZone());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--timeZone: " + e.getMessage());
      }
      config = new JobConfig(config.stall.toBuilder().zoneId(options.getTimeZone()).build(), config.names);
    }
    return config;
  }

  /** These names with {@code --inputTopic} and {@code --deadLetterTopic} when given. */
  public JobConfig withTopics(KafkaOptions options) {
    IoNames n = names;
    if (options.getInputTopic() != null) {
      n = n.with("inputTopic", options.getInputTopic());
    }
    if (options.getDeadLetterTopic() != null) {
      n = n.with("deadLetterTopic", options.getDeadLetterTopic());
    }
    return new JobConfig(stall, n);
  }
}
