package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.pipeline.config.Secrets;
import dev.stallwatch.pipeline.options.KafkaOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The Kafka client settings a job's options give: its consumer's and producers' extra settings. */
public final class KafkaClientConfig {
  private KafkaClientConfig() {}

  /** The settings of {@code --kafkaProperties}, none when it is not given. */
  public static Map<String, Object> from(KafkaOptions options) {
    return fromFile(options.getKafkaProperties());
  }

  /**
   * Extra Kafka client settings from a properties file: where secrets belong, never argv. The
   * values of secret settings ({@link #isSecret}: {@code sasl.jaas.config}, {@code
   * ssl.keystore.password}, ...) are not copied into the job: each becomes a reference {@code
   * ${file:PATH:KEY}} that the Kafka client resolves with Kafka's {@code FileConfigProvider} when it
   * is created, on whichever machine. So the secret is in no job graph (KafkaIO shows every client
   * setting as display data and serializes it with the job), no printed option and no log line; a
   * cluster's workers need the same file at the same path, as for {@code --jdbcPasswordFile}. A
   * value may instead name an environment variable, {@code ${env:NAME}} (Kafka's {@code
   * EnvVarConfigProvider}), which the client reads where it runs. Both providers are declared
   * unless the file declares providers of those names itself.
   */
  public static Map<String, Object> fromFile(String file) {
    Map<String, Object> config = new HashMap<>();
    if (file == null) {
      return config;
    }
    Path path = Path.of(file).toAbsolutePath().normalize();
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("--kafkaProperties: cannot read " + file);
    }
    boolean referenced = false;
    for (String key : props.stringPropertyNames()) {
      String value = props.getProperty(key);
      if (isSecret(key) && !value.trim().startsWith("${")) {
        if (!REFERABLE_PATH.matcher(path.toString()).matches() || key.contains("}")) {
          throw new IllegalArgumentException(
              "--kafkaProperties: the secret " + key + " is read from the file by its path, which must"
                  + " not contain ':', '{' or '}': " + path);
        }
        config.put(key, "${" + FILE_PROVIDER + ":" + path + ":" + key + "}");
        referenced = true;
      } else {
        config.put(key, value);
      }
    }
    if (referenced || config.values().stream().anyMatch(v -> v.toString().contains("${"))) {
      declareProvider(config, FILE_PROVIDER, "org.apache.kafka.common.config.provider.FileConfigProvider");
      declareProvider(config, ENV_PROVIDER, "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    }
    return config;
  }

  private static final String FILE_PROVIDER = "file";
  private static final String ENV_PROVIDER = "env";
  private static final java.util.regex.Pattern REFERABLE_PATH = java.util.regex.Pattern.compile("[^:{}]+");

  /**
   * Whether a Kafka client setting holds a secret: by StallWatch's rule for every secret name
   * ({@link Secrets#isSecretName}: a password, secret, credential, token, passphrase or key), and
   * also a JAAS configuration, user info or a name ending in {@code .key}. The settings of the
   * record key ({@code key.serializer}, {@code key.deserializer}, ...) name classes and
   * strategies, not a key, and stay as they are unless another word makes them secret.
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    String named = k.startsWith("key.") ? k.substring("key.".length()) : k;
    return Secrets.isSecretName(named)
        || k.contains("jaas")
        || k.contains("user.info")
        || k.endsWith(".key");
  }

  /** Adds {@code name} to {@code config.providers} with its class, unless the file names it. */
  private static void declareProvider(Map<String, Object> config, String name, String className) {
    String declared = config.getOrDefault("config.providers", "").toString().trim();
    List<String> names = new ArrayList<>();
    for (String n : declared.split(",")) {
      if (!n.trim().isEmpty()) {
        names.add(n.trim());
      }
    }
    if (names.contains(name)) {
      return;
    }
    names.add(name);
    config.put("config.providers", String.join(",", names));
    config.putIfAbsent("config.providers." + name + ".class", className);
  }

}
