package dev.stallwatch.pipeline.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read in record-aligned splits gives exactly the records, origins and dead letters one
 * reader of the whole file gives, whatever the bytes: quoted fields over several lines, quotes
 * that never close, more continuation lines than allowed (and exactly as many), over-long lines, every line break,
 * blank lines, a byte-order mark, bytes that are not UTF-8 beside quotes.
 */
class DumpSplitsTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  @TempDir Path dir;

  @Test
  void splitsOfHostileCsvReadAsTheWholeFile() throws IOException {
    for (int seed = 1; seed <= 40; seed++) {
      Path file = dir.resolve("dump-" + seed + ".csv");
      Files.write(file, hostile(new Random(seed), true, seed % 10 == 0));
      assertSplitsReadAsWhole(file, 1 + new Random(seed).nextInt(600));
    }
  }

  @Test
  void splitsOfHostileJsonLinesReadAsTheWholeFile() throws IOException {
    for (int seed = 1; seed <= 20; seed++) {
      Path file = dir.resolve("dump-" + seed + ".jsonl");
      Files.write(file, hostile(new Random(seed), false, seed % 10 == 0));
      assertSplitsReadAsWhole(file, 1 + new Random(seed).nextInt(400));
    }
  }

  @Test
  void aCompressedFileIsOneSplitAndItsCutIsReported() throws IOException {
    Path file = dir.resolve("dump.csv.gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("mobile,request_no\n1,a\n2,b\n3,c\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = bytes.toByteArray();
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 12)); // the trailer and more cut off
    List<? extends BoundedSource<List<StallRecord>>> splits = DumpSource.of(file.toString(), 4).split(4, OPTIONS);
    assertEquals(1, splits.size());
    List<StallRecord> read = read(splits);
    StallRecord last = read.get(read.size() - 1);
    assertEquals(StallRecord.Kind.DEAD_LETTER, last.kind());
    assertTrue(last.deadLetter().reason().startsWith("the archive cannot be read past byte"), last.toString());
  }

  @Test
  void aFileOfAnotherKindIsOneDeadLetter() throws IOException {
    Path file = dir.resolve("dump.txt");
    Files.writeString(file, "a,b\n");
    List<StallRecord> read = read(DumpSource.of(file.toString(), 1).split(1, OPTIONS));
    assertEquals(1, read.size());
    assertEquals("not a .csv or .jsonl file: not read", read.get(0).deadLetter().reason());
  }

  private void assertSplitsReadAsWhole(Path file, long splitBytes) throws IOException {
    ReadDump.Format format = ReadDump.Format.of(file.getFileName().toString());
    List<StallRecord> whole = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      DumpRecords records = DumpRecords.of(new LineReader(in, false), format, file.toString());
      for (StallRecord r = records.next(); r != null; r = records.next()) {
        whole.add(r);
      }
    }
    List<? extends BoundedSource<List<StallRecord>>> splits =
        DumpSource.of(file.toString(), splitBytes).split(splitBytes, OPTIONS);
    List<StallRecord> split = read(splits);
    assertTrue(whole.size() > 20, file + " has too few records to test: " + whole.size());
    assertTrue(splits.size() > 3 || Files.size(file) < 4 * splitBytes, file + ": " + splits.size() + " splits");
    assertEquals(whole, split, file + " in " + splits.size() + " splits of " + splitBytes + " bytes");
  }

  private static List<StallRecord> read(List<? extends BoundedSource<List<StallRecord>>> splits) throws IOException {
    List<StallRecord> out = new ArrayList<>();
    for (BoundedSource<List<StallRecord>> s : splits) {
      try (BoundedSource.BoundedReader<List<StallRecord>> r = s.createReader(OPTIONS)) {
        for (boolean more = r.start(); more; more = r.advance()) {
          out.addAll(r.getCurrent());
        }
      }
    }
    return out;
  }

  /** Lines of every kind; {@code huge}: with a line over {@link RawRow#MAX_BYTES}, long quotes, quotes of the limit. */
  private static byte[] hostile(Random random, boolean csv, boolean huge) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (random.nextBoolean()) {
      out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    if (csv) {
      if (random.nextInt(4) == 0) {
        out.write("\n  \r\n".getBytes(StandardCharsets.US_ASCII)); // blank lines before the header
      }
      out.write("mobile,\"request\nno\",note".getBytes(StandardCharsets.US_ASCII));
      out.write(breakOf(random));
    }
    int lines = 150 + random.nextInt(250);
    for (int i = 0; i < lines; i++) {
      int kind = random.nextInt(20);
      StringBuilder b = new StringBuilder();
      switch (kind) {
        case 0 -> b.append("\"opens and never closes,").append(i);
        case 1 -> b.append(i).append(",\"a field\nover\ntwo breaks\",x");
        case 2 -> b.append("   ");
        case 3 -> b.append("");
        case 4 -> b.append(i).append(",\"quoted \"\"twice\"\"\",y");
        case 5 -> b.append("\"\"\"").append(i);
        default -> b.append(i).append(",138").append(random.nextInt(100_000_000)).append(",plain text ").append("路".repeat(random.nextInt(3)));
      }
      byte[] text = b.toString().replace("\n", new String(breakOf(random), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.UTF_8);
      out.write(text);
      if (random.nextInt(15) == 0) {
        // not UTF-8: a lead byte before a quote, a lone continuation byte, a cut sequence
        out.write(new byte[] {(byte) 0xE2, '"', (byte) 0x80, (byte) 0xF0, (byte) 0x9F, ','});
      }
      if (random.nextInt(40) == 0) {
        for (int k = 0; k < 55; k++) {
          out.write(("\"line " + k).getBytes(StandardCharsets.US_ASCII)); // quotes that pair across many lines
          out.write(breakOf(random));
        }
      }
      if (random.nextInt(30) == 0) {
        // a quote that closes just within, at, or just past the continuation limit
        int plain = DumpRecords.MAX_CONTINUATION_LINES - 2 + random.nextInt(5);
        out.write(("\"opens at " + i).getBytes(StandardCharsets.US_ASCII));
        for (int k = 0; k < plain; k++) {
          out.write(breakOf(random));
          out.write(("plain " + k).getBytes(StandardCharsets.US_ASCII));
        }
        out.write(breakOf(random));
        out.write("closes\",z".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(breakOf(random));
    }
    if (huge) {
      out.write("\"".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[RawRow.MAX_BYTES - 10]);
      out.write("\n tail of a quote that would pass the limit\"\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[RawRow.MAX_BYTES + 5]);
      out.write("\n1,after,the long line\n".getBytes(StandardCharsets.US_ASCII));
      for (int over = 0; over <= 1; over++) {
        // a quoted record of exactly the limit (one record), then one byte over it (not one)
        byte[] closing = "closes\",at the limit".getBytes(StandardCharsets.US_ASCII);
        byte[] opening = new byte[RawRow.MAX_BYTES + over - 1 - closing.length];
        java.util.Arrays.fill(opening, (byte) 'o');
        opening[0] = '"';
        out.write(opening);
        out.write('\n');
        out.write(closing);
        out.write('\n');
      }
    }
    if (random.nextBoolean()) {
      out.write("9,last,without a break".getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  private static byte[] breakOf(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> new byte[] {'\r', '\n'};
      case 1 -> new byte[] {'\r'};
      default -> new byte[] {'\n'};
    };
  }
}
