package dev.stallwatch.pipeline;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.CsvLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads dump files into {@link RawRow}s with their origin ({@code file:line}). A {@code .csv} file's
 * first line is its header, and a quoted field may run over several lines; a {@code .jsonl} file
 * has one JSON object a line. Either may be gzip-compressed ({@code .gz}). Blank lines are skipped.
 */
public final class ReadDump extends PTransform<PBegin, PCollection<RawRow>> {
  private final String filepattern;

  private ReadDump(String filepattern) {
    this.filepattern = filepattern;
  }

  public static ReadDump from(String filepattern) {
    return new ReadDump(filepattern);
  }

  /** The dump format a file name stands for. */
  public enum Format {
    CSV,
    JSONL;

    /** The format of {@code name}, or null when its extension is neither. */
    public static Format of(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".gz")) {
        n = n.substring(0, n.length() - 3);
      }
      if (n.endsWith(".csv")) {
        return CSV;
      }
      if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
        return JSONL;
      }
      return null;
    }
  }

  @Override
  public PCollection<RawRow> expand(PBegin begin) {
    return begin
        .apply("Match", FileIO.match().filepattern(filepattern))
        .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
        .apply("Rows", ParDo.of(new ReadRowsFn()))
        .setCoder(RawRow.RawRowCoder.of());
  }

  private static final class ReadRowsFn extends DoFn<FileIO.ReadableFile, RawRow> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRow> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      Format format = Format.of(file.getMetadata().resourceId().getFilename());
      if (format == null) {
        throw new IllegalArgumentException(path + ": not a .csv or .jsonl file");
      }
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(file.open()), StandardCharsets.UTF_8),
              1 << 16)) {
        if (format == Format.JSONL) {
          readJsonLines(reader, path, out);
        } else {
          readCsv(reader, path, out);
        }
      }
    }

    private static void readJsonLines(BufferedReader reader, String name, OutputReceiver<RawRow> out)
        throws IOException {
      long lineNo = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNo++;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (!line.isBlank()) {
          out.output(RawRow.json(name + ":" + lineNo, line));
        }
      }
    }

    /** How far a quoted field may run on before its opening line is taken as a bad row alone. */
    private static final int MAX_CONTINUATION_LINES = 50;

    private static void readCsv(BufferedReader reader, String name, OutputReceiver<RawRow> out)
        throws IOException {
      Deque<String> pushedBack = new ArrayDeque<>();
      String header = null;
      long lineNo = 0;
      while (true) {
        String line = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
        if (line == null) {
          return;
        }
        lineNo++;
        long start = lineNo;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        StringBuilder record = new StringBuilder(line);
        if (CsvLine.opensQuote(line)) {
          // A quoted field may hold line breaks: read on until its quote closes, but not forever.
          List<String> more = new ArrayList<>();
          boolean closed = false;
          while (more.size() < MAX_CONTINUATION_LINES) {
            String next = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
            if (next == null) {
              break;
            }
            more.add(next);
            record.append('\n').append(next);
            if (CsvLine.opensQuote(record)) {
              continue;
            }
            closed = true;
            break;
          }
          if (closed) {
            lineNo += more.size();
          } else {
            // Never closed: the opening line alone is the (bad) record; the rest are read again.
            for (int i = more.size() - 1; i >= 0; i--) {
              pushedBack.addFirst(more.get(i));
            }
            record.setLength(0);
            record.append(line);
          }
        }
        if (header == null) {
          header = record.toString();
          continue;
        }
        out.output(RawRow.csv(name + ":" + start, record.toString(), header));
      }
    }
  }
}
