package dev.stallwatch.pipeline.cli;

import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.pipeline.config.TimeZones;
import dev.stallwatch.pipeline.files.ClassroomGeneratedDump;
import dev.stallwatch.pipeline.kafka.ClassroomReplay;
import dev.stallwatch.pipeline.kafka.KafkaClientConfig;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.ClassroomGenerateOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code stallwatch classroom generate}: realistic school days of the three classroom input topics,
 * deterministic for a seed, to a directory of dumps a backfill reads, or to Kafka on a simulated
 * clock that a streaming job can share.
 */
final class ClassroomGenerateCommand extends StallWatch.OwnCommand {
  ClassroomGenerateCommand(StallWatch cli) {
    super(cli, "classroom generate");
  }

  @Override
  public String summary() {
    return "write realistic school days of the classroom topics to a directory of dumps or to Kafka";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return ClassroomGenerateOptions.class;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    ClassroomGenerateOptions options = parse(args, ClassroomGenerateOptions.class, List.of()).options();
    check(options);
    if ((options.getOutput() == null) == (options.getBootstrapServers() == null)) {
      throw new UsageException("give either --output (a directory of dumps) or --bootstrapServers (Kafka)");
    }
    LocalDate start;
    try {
      start = LocalDate.parse(options.getStartDate());
    } catch (DateTimeParseException e) {
      throw new UsageException("--startDate: expected yyyy-MM-dd, not '" + options.getStartDate() + "'");
    }
    ZoneId zone;
    try {
      zone = TimeZones.check(options.getTimeZone() == null ? SignalsConfig.DEFAULT_ZONE : options.getTimeZone());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--timeZone: " + e.getMessage());
    }
    ClassroomGenerator generator =
        ClassroomGenerator.builder()
            .seed(options.getSeed())
            .students(options.getStudents())
            .signals(options.getSignals())
            .rooms(options.getRooms())
            .days(options.getSchoolDays())
            .startDate(start)
            .zone(zone)
            .accounts(true)
            .build();
    String size =
        String.format(
            "%d students in %d rooms over %d school day(s) from %s", generator.students(), generator.rooms(), generator.days(), start);
    if (options.getBootstrapServers() != null) {
      return toKafka(options, generator, zone, size, out, err);
    }
    if (options.getCompress() && options.getOutput().endsWith(".gz")) {
      throw new UsageException("--output: give a directory; --compress names the files TOPIC.jsonl.gz");
    }
    Path dir = Path.of(options.getOutput());
    long started = System.nanoTime();
    ClassroomGeneratedDump.Written written;
    try {
      written = ClassroomGeneratedDump.write(generator, dir, options.getCompress());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--output: " + e.getMessage());
    } catch (IOException e) {
      throw new UsageException("--output: cannot write " + dir + ": " + e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    StringBuilder files = new StringBuilder();
    written.lines().forEach((topic, n) -> files.append(files.length() == 0 ? "" : ", ").append(written.files().get(topic).getFileName()).append(' ').append(n));
    out.printf(
        "wrote %d messages (%d student classroom signals) of %s to %s in %.1f s: %s%n",
        written.total(), written.signals(), size, dir, seconds, files);
    return StallWatch.OK;
  }

  /**
   * Sends the messages on a simulated clock and prints it, so that a job started with the same
   * {@code --simulatedStart}, {@code --simulatedSpeed} and {@code --simulatedAnchor} shares it.
   */
  private int toKafka(
      ClassroomGenerateOptions options, ClassroomGenerator generator, ZoneId zone, String size, PrintStream out, PrintStream err) {
    Map<String, String> topics = new LinkedHashMap<>();
    topics.put(ClassroomGenerator.SIGNALS_TOPIC, topic("--signalsTopic", options.getSignalsTopic(), ClassroomGenerator.SIGNALS_TOPIC));
    topics.put(ClassroomGenerator.QOS_TOPIC, topic("--qosTopic", options.getQosTopic(), ClassroomGenerator.QOS_TOPIC));
    topics.put(ClassroomGenerator.AV_TOPIC, topic("--avTopic", options.getAvTopic(), ClassroomGenerator.AV_TOPIC));
    ClassroomGenerator.ACCOUNT_TOPICS.forEach(t -> topics.put(t, t)); // C2's, C6's and C7's, under CLASSROOM.md's names
    Map<String, Object> client = KafkaClientConfig.fromFile(options.getKafkaProperties());
    LocalDateTime clockStart =
        LocalDateTime.ofInstant(Instant.ofEpochMilli(ClassroomReplay.firstDueMillis(generator) - 60_000), zone).withNano(0);
    long anchor = System.currentTimeMillis() + 2_000;
    SimulatedClock clock =
        SimulatedClock.of(new org.joda.time.Instant(clockStart.atZone(zone).toInstant().toEpochMilli()), anchor, options.getSpeed());
    out.printf(
        "sending about %d student classroom signals of %s to %s on %s; share the clock with:"
            + " --simulatedStart=%s --simulatedSpeed=%s --simulatedAnchor=%d%n",
        generator.expectedSignals(), size, String.join(", ", topics.values()), options.getBootstrapServers(), clockStart,
        options.getSpeed(), anchor);
    out.flush();
    try {
      Map<String, Long> sent = ClassroomReplay.send(generator, options.getBootstrapServers(), topics, client, clock);
      StringBuilder counts = new StringBuilder();
      sent.forEach((t, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(topics.get(t)).append(' ').append(n));
      out.printf("sent %s%n", counts);
      return StallWatch.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return StallWatch.FAILED;
    } catch (RuntimeException e) {
      err.println("stallwatch classroom generate: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
  }

  private static String topic(String option, String given, String fallback) {
    if (given == null) {
      return fallback;
    }
    if (given.isBlank()) {
      throw new UsageException(option + ": must not be blank");
    }
    return given.trim();
  }
}
