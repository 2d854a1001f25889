package dev.stallwatch.pipeline.files;

import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Generated;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link ClassroomGenerator}'s messages as a directory of dumps, one per input topic named
 * by the topic ({@code TOPIC.jsonl}, or {@code TOPIC.jsonl.gz} compressed), one JSON message a line
 * in due order: what {@code stallwatch classroom backfill --input=DIR} reads ({@link TopicDumps}).
 * The messages are streamed from the generator to the files, so the heap holds one lesson period
 * at a time whatever the size. A dump has no record keys: the keys are only sent to Kafka.
 */
public final class ClassroomGeneratedDump {
  private ClassroomGeneratedDump() {}

  /** What was written: each topic's file and its number of lines, and the student signals among them. */
  public record Written(Map<String, Path> files, Map<String, Long> lines, long signals) {
    public long total() {
      return lines.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The file name of {@code topic}'s dump. */
  public static String fileName(String topic, boolean compress) {
    return topic + (compress ? ".jsonl.gz" : ".jsonl");
  }

  /**
   * Writes the dumps into {@code dir} (created when missing), replacing the files of these names.
   *
   * @throws IllegalArgumentException when {@code dir} is a file, or already holds another dump of
   *     one of the topics (the other compression, or a {@code TOPIC-PART} file), which a backfill
   *     would read as well
   */
  public static Written write(ClassroomGenerator generator, Path dir, boolean compress) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is a file; give a directory");
    }
    Files.createDirectories(dir);
    refuseOtherDumps(dir, compress);
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, OutputStream> writers = new LinkedHashMap<>();
    Map<String, long[]> lines = new LinkedHashMap<>();
    long signals = 0;
    try {
      for (String topic : generator.topics()) {
        Path file = dir.resolve(fileName(topic, compress));
        files.put(topic, file);
        writers.put(topic, open(file, compress));
        lines.put(topic, new long[1]);
      }
      for (Generated g : generator) {
        OutputStream w = writers.get(g.topic());
        w.write(g.json().getBytes(StandardCharsets.UTF_8)); // faster than a Writer's encoder
        w.write('\n');
        lines.get(g.topic())[0]++;
        if (g.kind() == ClassroomGenerator.Kind.GOOD && g.topic().equals(ClassroomGenerator.SIGNALS_TOPIC)) {
          signals++;
        }
      }
    } finally {
      IOException first = null;
      for (OutputStream w : writers.values()) {
        try {
          w.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    lines.forEach((t, n) -> counts.put(t, n[0]));
    return new Written(files, counts, signals);
  }

  private static OutputStream open(Path file, boolean compress) throws IOException {
    OutputStream raw = Files.newOutputStream(file);
    if (compress) {
      // the fastest level: a 1M-signal day is about a gigabyte of text
      raw =
          new GZIPOutputStream(raw, 1 << 16) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          };
    }
    return new BufferedOutputStream(raw, 1 << 16);
  }

  private static void refuseOtherDumps(Path dir, boolean compress) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        String topic = TopicDumps.topicOf(name, ClassroomGenerator.ALL_TOPICS);
        if (topic != null && !name.equals(fileName(topic, compress))) {
          throw new IllegalArgumentException(
              dir + " already holds " + name + ", another dump of " + topic + " that a backfill would read too;"
                  + " remove it or give another directory");
        }
      }
    }
  }
}
