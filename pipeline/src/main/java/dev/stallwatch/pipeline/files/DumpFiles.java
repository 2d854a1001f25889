package dev.stallwatch.pipeline.files;

import dev.stallwatch.parse.RowParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/** The dump files a backfill is given, checked on the launching machine before the job starts. */
public final class DumpFiles {
  private DumpFiles() {}

  /**
   * The files {@code input} ({@code --input}) matches; each must be a readable .csv or .jsonl
   * (optionally .gz), a CSV with a usable header row.
   */
  public static List<Path> check(String input) {
    List<MatchResult.Metadata> matched;
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      matched = match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
    } catch (IOException e) {
      throw new IllegalArgumentException("--input: cannot read " + input + ": " + e.getMessage());
    }
    if (matched.isEmpty()) {
      throw new IllegalArgumentException("--input: no such file: " + input);
    }
    List<Path> paths = new ArrayList<>();
    for (MatchResult.Metadata m : matched) {
      String name = m.resourceId().getFilename();
      ReadDump.Format format = ReadDump.Format.of(name);
      if (format == null) {
        throw new IllegalArgumentException(
            "--input: " + m.resourceId() + " is neither .csv nor .jsonl (optionally .gz)");
      }
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(
                      Compression.detect(name).readDecompressed(FileSystems.open(m.resourceId()))),
                  StandardCharsets.UTF_8))) {
        String first = r.readLine();
        if (format == ReadDump.Format.CSV) {
          if (first == null) {
            throw new IllegalArgumentException(
                "--input: " + m.resourceId() + " is empty: a CSV dump needs a header row");
          }
          RowParser.CsvHeader.parse(first);
        }
      } catch (RowParser.BadRowException e) {
        throw new IllegalArgumentException("--input: " + m.resourceId() + ": " + e.getMessage());
      } catch (IOException e) {
        throw new IllegalArgumentException("--input: cannot read " + m.resourceId() + ": " + e.getMessage());
      }
      paths.add(Path.of(m.resourceId().toString()));
    }
    return paths;
  }
}
