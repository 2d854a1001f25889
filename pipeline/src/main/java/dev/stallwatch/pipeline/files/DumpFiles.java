package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.parse.RowParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
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
      Compression compression = Compression.detect(name);
      try (InputStream in =
          Channels.newInputStream(compression.readDecompressed(FileSystems.open(m.resourceId())))) {
        if (format == ReadDump.Format.CSV) {
          checkHeader(new LineReader(in, compression != Compression.UNCOMPRESSED).readLine(), m.resourceId().toString());
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("--input: cannot read " + m.resourceId() + ": " + e.getMessage());
      }
      paths.add(Path.of(m.resourceId().toString()));
    }
    return paths;
  }

  /** A CSV dump's first line must be a header row the parser can use. */
  private static void checkHeader(LineReader.Line first, String file) {
    if (first == null) {
      throw new IllegalArgumentException("--input: " + file + " is empty: a CSV dump needs a header row");
    }
    if (first.over) {
      throw new IllegalArgumentException("--input: " + file + ": the header row is too long: " + RawRow.tooLong(first.bytes));
    }
    if (first.cut) {
      throw new IllegalArgumentException("--input: " + file + ": the archive cannot be read past its header row");
    }
    try {
      RowParser.CsvHeader.parse(first.text);
    } catch (RowParser.BadRowException e) {
      throw new IllegalArgumentException("--input: " + file + ": " + e.getMessage());
    }
  }
}
