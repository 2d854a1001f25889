package dev.stallwatch.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.parse.DimensionCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The public conformance cases in {@code ../shared/conformance}, read for tests. */
public final class Conformance {
  private Conformance() {}

  public static Path root() {
    String root = System.getProperty("stallwatch.root", ".");
    return Path.of(root).toAbsolutePath().resolve("../shared/conformance").normalize();
  }

  /** The case folders; the test is skipped (not failed) on a checkout without ../shared. */
  public static List<Path> cases() {
    Path root = root();
    assumeTrue(Files.isDirectory(root), "no conformance cases at " + root);
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path dump(Path caseDir) {
    try (Stream<Path> files = Files.list(caseDir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("dump."))
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<RawRow> rows(Path dump) {
    List<String> lines = lines(dump);
    List<RawRow> rows = new ArrayList<>();
    boolean csv = dump.toString().endsWith(".csv");
    for (int i = csv ? 1 : 0; i < lines.size(); i++) {
      String origin = dump.getFileName() + ":" + (i + 1);
      rows.add(csv ? RawRow.csv(origin, lines.get(i), lines.get(0)) : RawRow.json(origin, lines.get(i)));
    }
    return rows;
  }

  public static Blacklist blacklist(Path caseDir) {
    Path p = caseDir.resolve("blacklist.csv");
    return DimensionCsv.blacklist(lines(p), p.toString());
  }

  public static ChannelNames channels(Path caseDir) {
    Path p = caseDir.resolve("channels.csv");
    return DimensionCsv.channels(lines(p), p.toString());
  }

  public static List<String> expectedAlerts(Path caseDir) {
    return lines(caseDir.resolve("expected.jsonl")).stream().filter(l -> !l.isBlank()).toList();
  }

  public static int expectedBad(Path caseDir) {
    return Integer.parseInt(lines(caseDir.resolve("expected_bad")).get(0).trim());
  }

  /** The non-blank lines of every file in {@code dir} whose name starts with {@code prefix}. */
  public static List<String> outputLines(Path dir, String prefix) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
        lines(p).stream().filter(l -> !l.isBlank()).forEach(lines::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  public static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
