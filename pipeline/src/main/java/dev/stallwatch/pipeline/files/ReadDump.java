package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.text.Text;
import dev.stallwatch.transforms.StallMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads dump files into {@link RawRow}s with their origin ({@code file:line}). A {@code .csv} file's
 * first line is its header, and a quoted field may run over several lines; a {@code .jsonl} file
 * has one JSON object a line. Either may be gzip-compressed ({@code .gz}). Blank lines are skipped.
 *
 * <p>Lines are split as bytes and each is decoded as UTF-8 on its own ({@link LineReader}). These
 * go to {@link #UNREADABLE} as dead letters (raw text with its {@code id_no} masked), and the lines
 * after them are read as usual: a record with bytes that are not UTF-8 ({@code not UTF-8 text},
 * shown with replacement characters) instead of reaching the parser with its text silently
 * changed; a line longer than {@link RawRow#MAX_BYTES} (its start, and its length); the unfinished
 * last line of an archive that ends early or is corrupt, and the cut itself, after every row
 * before it was read. A blank line is one of white space only ({@link Text#isBlank}): a line of
 * NULs or other control characters is a row, and a bad one. The streaming job treats a message
 * the same way.
 */
public final class ReadDump extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<RawRow> ROWS = new TupleTag<RawRow>("rows") {};
  public static final TupleTag<BadRecord> UNREADABLE = new TupleTag<BadRecord>("unreadable") {};

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

  /**
   * The same records as one stream for the backfill's batch graph ({@link StallRecord}: rows, and
   * the dead letters of unreadable lines and files), read in parallel: each plain file in
   * record-aligned splits, each compressed one whole ({@link DumpSource}).
   */
  public static PTransform<PBegin, PCollection<StallRecord>> records(String filepattern) {
    return records(DumpSource.of(filepattern));
  }

  static PTransform<PBegin, PCollection<StallRecord>> records(DumpSource source) {
    return new PTransform<>() {
      @Override
      public PCollection<StallRecord> expand(PBegin begin) {
        return begin
            .apply("Splits", Read.from(source))
            .apply("Records", ParDo.of(new UnblockFn()))
            .setCoder(StallRecord.StallRecordCoder.of());
      }
    };
  }

  /** A source's blocks into records, counting the dead letters of reading. */
  private static final class UnblockFn extends DoFn<List<StallRecord>, StallRecord> {
    private final Counter unreadable = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.BAD_ROWS);

    @ProcessElement
    public void process(@Element List<StallRecord> block, OutputReceiver<StallRecord> out) {
      for (StallRecord r : block) {
        if (r.kind() != StallRecord.Kind.ROW) {
          unreadable.inc();
        }
        out.output(r);
      }
    }
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        begin
            .apply("Match", FileIO.match().filepattern(filepattern))
            .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
            .apply("Rows", ParDo.of(new ReadRowsFn()).withOutputTags(ROWS, TupleTagList.of(UNREADABLE)));
    read.get(ROWS).setCoder(RawRow.RawRowCoder.of());
    read.get(UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    return read;
  }

  private static final class ReadRowsFn extends DoFn<FileIO.ReadableFile, RawRow> {
    private final Counter unreadable = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.BAD_ROWS);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      String name = file.getMetadata().resourceId().getFilename();
      Format format = Format.of(name);
      if (format == null) {
        unreadable.inc();
        out.get(UNREADABLE).output(BadRecord.of("", path, "not a .csv or .jsonl file: not read"));
        return;
      }
      Compression compression =
          file.getCompression() == Compression.AUTO ? Compression.detect(name) : file.getCompression();
      boolean compressed = compression != Compression.UNCOMPRESSED;
      ReadableByteChannel raw = ReadProgress.counting(FileSystems.open(file.getMetadata().resourceId()));
      try (InputStream in = Channels.newInputStream(compressed ? compression.readDecompressed(raw) : raw)) {
        DumpRecords records = DumpRecords.of(new LineReader(in, compressed), format, path);
        for (StallRecord r = records.next(); r != null; r = records.next()) {
          ReadProgress.records(1);
          if (r.kind() == StallRecord.Kind.ROW) {
            out.get(ROWS).output(r.row());
          } else {
            unreadable.inc();
            out.get(UNREADABLE).output(r.deadLetter());
          }
        }
      }
    }
  }
}
