package dev.stallwatch.pipeline.files;

import dev.stallwatch.generate.JourneyGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes generated journeys to a dump file in the format its name asks for. */
public final class GenerateDump {
  private GenerateDump() {}

  /** Writes the rows and answers how many were written. */
  public static long write(JourneyGenerator generator, long seed, Path file) throws IOException {
    ReadDump.Format format = ReadDump.Format.of(file.getFileName().toString());
    if (format == null) {
      throw new IllegalArgumentException(file + " is neither .csv nor .jsonl (optionally .gz)");
    }
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    List<Map<String, String>> rows = generator.rows();
    Random random = new Random(seed ^ 0x5DEECE66DL);
    OutputStream raw = Files.newOutputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new GZIPOutputStream(raw, 1 << 16);
    }
    try (Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16)) {
      if (format == ReadDump.Format.CSV) {
        w.write(JourneyGenerator.csvHeader());
        w.write('\n');
      }
      for (Map<String, String> row : rows) {
        w.write(format == ReadDump.Format.CSV ? JourneyGenerator.toCsv(row) : JourneyGenerator.toJson(row, random));
        w.write('\n');
      }
    }
    return rows.size();
  }
}
