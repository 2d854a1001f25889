package dev.stallwatch.pipeline.cli;

import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.TimeZones;
import dev.stallwatch.pipeline.files.GenerateDump;
import dev.stallwatch.pipeline.files.ReadDump;
import dev.stallwatch.pipeline.kafka.KafkaClientConfig;
import dev.stallwatch.pipeline.kafka.KafkaReplay;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.GenerateOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code stallwatch generate}: realistic journeys to a dump file, or to a topic on a simulated clock. */
final class GenerateCommand extends StallWatch.OwnCommand {
  GenerateCommand(StallWatch cli) {
    super(cli, "generate");
  }

  @Override
  public String summary() {
    return "write realistic journeys (deterministic for a seed) to a .csv or .jsonl dump or a topic";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return GenerateOptions.class;
  }

  @Override
  Map<String, String> shownDefaults() {
    return Map.of("topic", IoNames.defaultNames().inputTopic());
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    GenerateOptions options = parse(args, GenerateOptions.class, List.of()).options();
    LocalDate firstDay;
    try {
      firstDay = LocalDate.parse(options.getFirstDay());
    } catch (DateTimeParseException e) {
      throw new UsageException("--firstDay: expected yyyy-MM-dd, not '" + options.getFirstDay() + "'");
    }
    ZoneId zone;
    try {
      zone = TimeZones.check(options.getTimeZone() == null ? dev.stallwatch.domain.StallConfig.DEFAULT_ZONE : options.getTimeZone());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--timeZone: " + e.getMessage());
    }
    if (options.getApplicants() < 1 || options.getDays() < 1) {
      throw new UsageException("--applicants and --days must be at least 1");
    }
    if (options.getBadRowRate() < 0 || options.getBadRowRate() > 1) {
      throw new UsageException("--badRowRate must be between 0 and 1");
    }
    if ((options.getOutput() == null) == (options.getBootstrapServers() == null)) {
      throw new UsageException("give either --output (a file) or --bootstrapServers (a topic)");
    }
    JourneyGenerator generator =
        JourneyGenerator.builder()
            .seed(options.getSeed())
            .applicants(options.getApplicants())
            .firstDay(firstDay)
            .days(options.getDays())
            .zone(zone)
            .badRowRate(options.getBadRowRate())
            .build();
    if (options.getBootstrapServers() != null) {
      return toKafka(options, generator, zone, out, err);
    }
    Path file = Path.of(options.getOutput());
    if (ReadDump.Format.of(file.getFileName().toString()) == null) {
      throw new UsageException("--output: " + file + " is neither .csv nor .jsonl (optionally .gz)");
    }
    long rows;
    try {
      rows = GenerateDump.write(generator, options.getSeed(), file);
    } catch (IOException e) {
      throw new UsageException("--output: cannot write " + file + ": " + e.getMessage());
    }
    out.printf("wrote %d rows of %d applicants to %s%n", rows, options.getApplicants(), file);
    return StallWatch.OK;
  }

  /**
   * Sends the journeys to a topic on a simulated clock and prints the clock, so that a job started
   * with the same {@code --simulatedStart}, {@code --simulatedSpeed} and {@code --simulatedAnchor}
   * shares it.
   */
  private int toKafka(GenerateOptions options, JourneyGenerator generator, ZoneId zone, PrintStream out, PrintStream err) {
    if (!(options.getSpeed() > 0) || options.getMaxDelay() < 0) {
      throw new UsageException("--speed must be positive and --maxDelay at least 0");
    }
    String topic = options.getTopic() == null ? IoNames.defaultNames().inputTopic() : options.getTopic();
    Map<String, Object> client = KafkaClientConfig.fromFile(options.getKafkaProperties());
    KafkaReplay replay = KafkaReplay.of(generator, options.getSeed(), zone, options.getMaxDelay() * 1000L);
    LocalDateTime start =
        LocalDateTime.ofInstant(Instant.ofEpochMilli(replay.firstDueMillis() - 60_000), zone).withNano(0);
    long anchor = System.currentTimeMillis() + 2_000;
    SimulatedClock clock =
        SimulatedClock.of(new org.joda.time.Instant(start.atZone(zone).toInstant().toEpochMilli()), anchor, options.getSpeed());
    out.printf(
        "sending %d rows of %d applicants to %s on %s; share the clock with: --simulatedStart=%s"
            + " --simulatedSpeed=%s --simulatedAnchor=%d%n",
        replay.messages().size(), options.getApplicants(), topic, options.getBootstrapServers(), start, options.getSpeed(), anchor);
    out.flush();
    try {
      long sent = replay.send(options.getBootstrapServers(), topic, client, clock);
      out.printf("sent %d rows to %s%n", sent, topic);
      return StallWatch.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return StallWatch.FAILED;
    } catch (RuntimeException e) {
      err.println("stallwatch generate: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
  }
}
