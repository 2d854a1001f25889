package dev.stallwatch.pipeline.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A directory of dumps, one or more per topic, each named by its topic: {@code TOPIC.jsonl}, {@code
 * TOPIC.jsonl.gz} or {@code TOPIC-PART.jsonl[.gz]}. Checked on the launching machine before a job
 * starts, so that a misnamed file is a one-line error rather than a topic silently read as empty.
 */
public final class TopicDumps {
  private TopicDumps() {}

  /** What follows the topic in a dump's name. */
  private static final Pattern REST = Pattern.compile("(-[A-Za-z0-9_.-]+?)?\\.jsonl(\\.gz)?");

  /**
   * The dump files in {@code dir} ({@code option} names it in errors), by topic, every one of
   * {@code topics} present (with no file when the directory has none). Files whose names start with
   * a dot and subdirectories are passed over.
   *
   * @throws IllegalArgumentException when the directory cannot be read, holds a file that is no
   *     dump of one of {@code topics}, or holds no dump at all
   */
  public static Map<String, List<Path>> check(String option, String dir, List<String> topics) {
    Path directory = Path.of(dir);
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(option + ": " + dir + " is not a directory of dumps");
    }
    Map<String, List<Path>> byTopic = new LinkedHashMap<>();
    topics.forEach(t -> byTopic.put(t, new ArrayList<>()));
    int found = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      List<Path> sorted = new ArrayList<>();
      files.forEach(sorted::add);
      sorted.sort(null);
      for (Path p : sorted) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || Files.isDirectory(p)) {
          continue;
        }
        String topic = topicOf(name, topics);
        if (topic == null) {
          throw new IllegalArgumentException(
              option + ": " + p + " is no dump of an input topic; name each TOPIC.jsonl[.gz] or"
                  + " TOPIC-PART.jsonl[.gz], TOPIC one of " + String.join(", ", topics));
        }
        if (!Files.isReadable(p)) {
          throw new IllegalArgumentException(option + ": cannot read " + p);
        }
        byTopic.get(topic).add(p.toAbsolutePath());
        found++;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot list " + dir + ": " + e.getMessage());
    }
    if (found == 0) {
      throw new IllegalArgumentException(
          option + ": " + dir + " holds no dump; name each TOPIC.jsonl[.gz], TOPIC one of " + String.join(", ", topics));
    }
    return byTopic;
  }

  /** The topic {@code fileName} is a dump of, or null. The longest topic name that fits wins. */
  static String topicOf(String fileName, List<String> topics) {
    String best = null;
    for (String t : topics) {
      if (fileName.startsWith(t)
          && REST.matcher(fileName.substring(t.length())).matches()
          && (best == null || t.length() > best.length())) {
        best = t;
      }
    }
    return best;
  }
}
