package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.StallRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A dump's files as a source the runner splits: each plain file in record-aligned splits of up to
 * {@value #MAX_SPLIT_BYTES} bytes ({@link DumpSplits}), each compressed file whole (a gzip stream
 * cannot be entered in the middle). A runner hands splits to its readers as they ask (Flink's
 * batch sources do), so two cores share one large file. Elements are blocks of up to {@value
 * #BLOCK} records, rows and the dead letters of unreadable lines in file order: the runner's
 * per-element work at a source (metrics, a copy) is paid per block.
 */
final class DumpSource extends BoundedSource<List<StallRecord>> {
  private static final long serialVersionUID = 1L;
  /** The largest split: small enough that the last split to finish leaves no core idle for long. */
  static final long MAX_SPLIT_BYTES = 32L << 20;
  /** The smallest split the runner may ask for. */
  static final long MIN_SPLIT_BYTES = 1L << 20;
  static final int BLOCK = 512;

  private final String filepattern;
  private final long splitBytes;
  // one file's split; all null or zero in the source of the whole pattern
  private final String file;
  private final ReadDump.Format format;
  private final boolean compressed;
  private final DumpSplits.Split split;
  private final long size;

  private DumpSource(
      String filepattern,
      long splitBytes,
      String file,
      ReadDump.Format format,
      boolean compressed,
      DumpSplits.Split split,
      long size) {
    this.filepattern = filepattern;
    this.splitBytes = splitBytes;
    this.file = file;
    this.format = format;
    this.compressed = compressed;
    this.split = split;
    this.size = size;
  }

  /** Every file {@code filepattern} matches; splits as the runner asks, within the bounds above. */
  static DumpSource of(String filepattern) {
    return new DumpSource(filepattern, 0, null, null, false, null, 0);
  }

  /** Splits of {@code bytes} whatever the runner asks (tests of splitting on small files). */
  static DumpSource of(String filepattern, long bytes) {
    return new DumpSource(filepattern, bytes, null, null, false, null, 0);
  }

  private List<MatchResult.Metadata> match() throws IOException {
    MatchResult m = FileSystems.match(filepattern, EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
  }

  @Override
  public List<DumpSource> split(long desiredBundleSizeBytes, PipelineOptions options) throws IOException {
    if (file != null) {
      return List.of(this);
    }
    long target =
        splitBytes > 0
            ? splitBytes
            : Math.max(MIN_SPLIT_BYTES, Math.min(MAX_SPLIT_BYTES, desiredBundleSizeBytes));
    List<DumpSource> sources = new ArrayList<>();
    for (MatchResult.Metadata m : match()) {
      ResourceId id = m.resourceId();
      String path = id.toString();
      ReadDump.Format f = ReadDump.Format.of(id.getFilename());
      boolean gz = Compression.detect(id.getFilename()) != Compression.UNCOMPRESSED;
      long bytes = m.sizeBytes();
      if (f == null || gz || bytes <= target) {
        sources.add(new DumpSource(filepattern, splitBytes, path, f, gz, new DumpSplits.Split(0, Long.MAX_VALUE, 0, null), bytes));
        continue;
      }
      String header = null;
      long headerEnd = 0;
      if (f == ReadDump.Format.CSV) {
        try (InputStream in = open(id, false, 0)) {
          DumpRecords first = DumpRecords.of(new LineReader(in, false), f, path);
          header = first.readHeader();
          headerEnd = first.position();
        }
      }
      List<DumpSplits.Split> splits;
      try (InputStream in = open(id, false, 0)) {
        splits = DumpSplits.plan(in, f, target, header, headerEnd);
      }
      for (DumpSplits.Split s : splits) {
        long length = Math.min(s.end, bytes) - s.start;
        sources.add(new DumpSource(filepattern, splitBytes, path, f, false, s, length));
      }
    }
    return sources;
  }

  private static InputStream open(ResourceId id, boolean compressed, long start) throws IOException {
    return open(id, compressed, start, false);
  }

  /** {@code counted}: the bytes read count as the backfill's progress ({@link ReadProgress}). */
  private static InputStream open(ResourceId id, boolean compressed, long start, boolean counted) throws IOException {
    ReadableByteChannel channel = FileSystems.open(id);
    if (start > 0) {
      if (!(channel instanceof SeekableByteChannel seekable)) {
        channel.close();
        throw new IOException(id + " cannot be read from byte " + start);
      }
      seekable.position(start);
    }
    if (counted) {
      channel = ReadProgress.counting(channel);
    }
    if (compressed) {
      return Channels.newInputStream(Compression.detect(id.getFilename()).readDecompressed(channel));
    }
    return Channels.newInputStream(channel);
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) throws IOException {
    if (file != null) {
      return size;
    }
    long total = 0;
    for (MatchResult.Metadata m : match()) {
      total += m.sizeBytes();
    }
    return total;
  }

  @Override
  public BoundedReader<List<StallRecord>> createReader(PipelineOptions options) throws IOException {
    return new Reader(this, file == null ? split(0, options) : List.of(this));
  }

  @Override
  public Coder<List<StallRecord>> getOutputCoder() {
    return ListCoder.of(StallRecord.StallRecordCoder.of());
  }

  /** Reads splits one after the other (one split, unless the whole pattern's source is read). */
  private static final class Reader extends BoundedReader<List<StallRecord>> {
    private final DumpSource source;
    private final List<DumpSource> parts;
    private int part = -1;
    private InputStream in;
    private DumpRecords records;
    private boolean unreadableSent;
    private List<StallRecord> block;

    Reader(DumpSource source, List<DumpSource> parts) {
      this.source = source;
      this.parts = parts;
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      List<StallRecord> next = new ArrayList<>(BLOCK);
      while (next.size() < BLOCK) {
        StallRecord r = nextRecord();
        if (r == null) {
          break;
        }
        next.add(r);
      }
      block = next.isEmpty() ? null : next;
      ReadProgress.records(next.size());
      return block != null;
    }

    private StallRecord nextRecord() throws IOException {
      while (true) {
        if (part >= 0 && part < parts.size()) {
          DumpSource p = parts.get(part);
          if (p.format == null) {
            if (!unreadableSent) {
              unreadableSent = true;
              return StallRecord.of(BadRecord.of("", p.file, "not a .csv or .jsonl file: not read"));
            }
          } else {
            if (records == null) {
              in = open(FileSystems.matchNewResource(p.file, false), p.compressed, p.split.start, true);
              records =
                  new DumpRecords(
                      new LineReader(in, p.compressed, p.split.start),
                      p.format,
                      p.file,
                      p.split.linesBefore,
                      p.split.header,
                      p.split.end);
            }
            StallRecord r = records.next();
            if (r != null) {
              return r;
            }
          }
        }
        closeCurrent();
        part++;
        unreadableSent = false;
        if (part >= parts.size()) {
          return null;
        }
      }
    }

    private void closeCurrent() throws IOException {
      records = null;
      if (in != null) {
        in.close();
        in = null;
      }
    }

    @Override
    public List<StallRecord> getCurrent() {
      if (block == null) {
        throw new NoSuchElementException();
      }
      return block;
    }

    @Override
    public void close() throws IOException {
      closeCurrent();
    }

    @Override
    public BoundedSource<List<StallRecord>> getCurrentSource() {
      return source;
    }
  }
}
