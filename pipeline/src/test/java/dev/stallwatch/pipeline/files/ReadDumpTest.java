package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Reading dumps: headers, BOMs, blank lines, quoted line breaks, unclosed quotes, gzip. */
@ExtendWith(TestPipelineExtension.class)
class ReadDumpTest {
  @TempDir Path tmp;

  @Test
  void csvRowsCarryTheirHeaderAndStartingLine(TestPipeline pipeline) throws IOException {
    Path csv = tmp.resolve("d.csv");
    String header = "MOBILE_TEL,REQUEST_STATUS,LAST_UPDATE_DATETIME,RECOMMENDER";
    Files.writeString(
        csv,
        "\uFEFF" + header + "\n"
            + "1,0,2024-03-20 10:00:00,plain\n"
            + "\n"
            + "2,0,2024-03-20 10:00:00,\"two\nlines\"\n"
            + "3,0,2024-03-20 10:00:00,\"never closed\n"
            + "4,0,2024-03-20 10:00:00,after\n",
        StandardCharsets.UTF_8);
    PCollection<RawRow> rows = pipeline.apply(ReadDump.from(csv.toString())).get(ReadDump.ROWS);
    String name = csv.toString();
    PAssert.that(rows)
        .containsInAnyOrder(
            RawRow.csv(name + ":2", "1,0,2024-03-20 10:00:00,plain", header),
            RawRow.csv(name + ":4", "2,0,2024-03-20 10:00:00,\"two\nlines\"", header),
            RawRow.csv(name + ":6", "3,0,2024-03-20 10:00:00,\"never closed", header),
            RawRow.csv(name + ":7", "4,0,2024-03-20 10:00:00,after", header));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void gzippedJsonLinesAreReadLineByLine(TestPipeline pipeline) throws IOException {
    Path gz = tmp.resolve("d.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write("{\"a\":1}\n\n  \n[2]\n".getBytes(StandardCharsets.UTF_8));
    }
    PCollection<RawRow> rows = pipeline.apply(ReadDump.from(gz.toString())).get(ReadDump.ROWS);
    PAssert.that(rows)
        .containsInAnyOrder(RawRow.json(gz + ":1", "{\"a\":1}"), RawRow.json(gz + ":4", "[2]"));
    pipeline.run().waitUntilFinish();
  }

  /**
   * Lines are split as bytes and decoded one by one: a line that is not UTF-8 is a dead letter
   * (id masked) and the lines around it are read as usual, whatever their line ends.
   */
  @Test
  void aLineThatIsNotUtf8IsADeadLetterAndTheOthersAreRead(TestPipeline pipeline) throws IOException {
    Path jsonl = tmp.resolve("d.jsonl");
    try (OutputStream o = Files.newOutputStream(jsonl)) {
      o.write("{\"a\":\"é\"}\r\n".getBytes(StandardCharsets.UTF_8));
      o.write(new byte[] {'{', '"', 'i', 'd', '_', 'n', 'o', '"', ':', '"', '4', '4', '0', '1', (byte) 0xFF, '"', '}', '\r'});
      o.write("{\"b\":2}".getBytes(StandardCharsets.UTF_8));
    }
    Path csv = tmp.resolve("d.csv");
    try (OutputStream o = Files.newOutputStream(csv)) {
      o.write("MOBILE_TEL,ID_NO,NAME\n1,440101199001010011,\"a\n".getBytes(StandardCharsets.UTF_8));
      o.write(new byte[] {(byte) 0xC0, (byte) 0xAF, '"', '\n'});
      o.write("2,x,b\n".getBytes(StandardCharsets.UTF_8));
    }
    PCollectionTuple jsonRead = pipeline.apply("Jsonl", ReadDump.from(jsonl.toString()));
    PCollectionTuple csvRead = pipeline.apply("Csv", ReadDump.from(csv.toString()));
    PAssert.that(jsonRead.get(ReadDump.ROWS))
        .containsInAnyOrder(RawRow.json(jsonl + ":1", "{\"a\":\"é\"}"), RawRow.json(jsonl + ":3", "{\"b\":2}"));
    PAssert.that(jsonRead.get(ReadDump.UNREADABLE))
        .containsInAnyOrder(BadRecord.of("{\"id_no\":\"***\"}", jsonl + ":2", "not UTF-8 text"));
    PAssert.that(csvRead.get(ReadDump.ROWS))
        .containsInAnyOrder(RawRow.csv(csv + ":4", "2,x,b", "MOBILE_TEL,ID_NO,NAME"));
    PAssert.that(csvRead.get(ReadDump.UNREADABLE))
        .containsInAnyOrder(BadRecord.of("1,***,\"a\n\uFFFD\uFFFD\"", csv + ":2", "not UTF-8 text"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aQuotedFieldsLineBreaksAreKeptAsTheyWere(TestPipeline pipeline) throws IOException {
    Path csv = tmp.resolve("crlf.csv");
    String header = "MOBILE_TEL,REQUEST_STATUS,LAST_UPDATE_DATETIME,RECOMMENDER";
    Files.writeString(
        csv,
        header + "\r\n1,0,2024-03-20 10:00:00,\"a\r\nb\rc\nd\"\r\n2,0,2024-03-20 10:00:00,x\r\n",
        StandardCharsets.UTF_8);
    PAssert.that(pipeline.apply(ReadDump.from(csv.toString())).get(ReadDump.ROWS))
        .containsInAnyOrder(
            RawRow.csv(csv + ":2", "1,0,2024-03-20 10:00:00,\"a\r\nb\rc\nd\"", header),
            RawRow.csv(csv + ":6", "2,0,2024-03-20 10:00:00,x", header));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aLineOfControlCharactersIsARowNotABlankLine(TestPipeline pipeline) throws IOException {
    Path jsonl = tmp.resolve("controls.jsonl");
    Files.writeString(jsonl, "\u0000\n\u001a\n \u0000\n \t\u3000\n{}\n", StandardCharsets.UTF_8);
    Path csv = tmp.resolve("controls.csv");
    Files.writeString(csv, "MOBILE_TEL,REQUEST_STATUS,LAST_UPDATE_DATETIME\n\u0000\n\u00a0\n", StandardCharsets.UTF_8);
    String header = "MOBILE_TEL,REQUEST_STATUS,LAST_UPDATE_DATETIME";
    PAssert.that(pipeline.apply("Jsonl", ReadDump.from(jsonl.toString())).get(ReadDump.ROWS))
        .containsInAnyOrder(
            RawRow.json(jsonl + ":1", "\u0000"),
            RawRow.json(jsonl + ":2", "\u001a"),
            RawRow.json(jsonl + ":3", " \u0000"),
            RawRow.json(jsonl + ":5", "{}"));
    PAssert.that(pipeline.apply("Csv", ReadDump.from(csv.toString())).get(ReadDump.ROWS))
        .containsInAnyOrder(RawRow.csv(csv + ":2", "\u0000", header));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aLineOverTheLimitIsOneDeadLetterWithItsLengthAndTheNextLinesAreRead(TestPipeline pipeline)
      throws IOException {
    Path gz = tmp.resolve("long.jsonl.gz");
    long length = RawRow.MAX_BYTES + 10L;
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write("{\"id_no\":\"E12345678\",\"x\":\"".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "y".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
      long written = 26;
      while (written + chunk.length <= length) {
        o.write(chunk);
        written += chunk.length;
      }
      o.write("y".repeat((int) (length - written)).getBytes(StandardCharsets.UTF_8));
      o.write("\n{\"after\":1}\n".getBytes(StandardCharsets.UTF_8));
    }
    PCollectionTuple read = pipeline.apply(ReadDump.from(gz.toString()));
    String name = gz.toString();
    PAssert.that(read.get(ReadDump.ROWS)).containsInAnyOrder(RawRow.json(gz + ":2", "{\"after\":1}"));
    PAssert.that(read.get(ReadDump.UNREADABLE))
        .satisfies(
            bad -> {
              BadRecord b = bad.iterator().next();
              org.junit.jupiter.api.Assertions.assertEquals(name + ":1", b.origin());
              org.junit.jupiter.api.Assertions.assertEquals(RawRow.tooLong(length), b.reason());
              org.junit.jupiter.api.Assertions.assertTrue(b.raw().startsWith("{\"id_no\":\"***\",\"x\":\"yyy"), b.raw());
              org.junit.jupiter.api.Assertions.assertTrue(b.raw().length() < 20_000, "cut: " + b.raw().length());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aTruncatedArchiveKeepsEveryRowBeforeTheCutAndReportsTheCut(TestPipeline pipeline) throws IOException {
    java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
    try (OutputStream o = new GZIPOutputStream(whole)) {
      for (int i = 1; i <= 2000; i++) {
        o.write(("{\"n\":" + i + ",\"pad\":\"" + Integer.toHexString(i * 7919) + "\"}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = whole.toByteArray();
    Path cut = tmp.resolve("cut.jsonl.gz");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
    Path corrupt = tmp.resolve("corrupt.jsonl.gz");
    byte[] bad = bytes.clone();
    for (int i = bytes.length / 2; i < bytes.length / 2 + 40; i++) {
      bad[i] = (byte) 0xA5;
    }
    Files.write(corrupt, bad);
    for (String p : new String[] {cut.toString(), corrupt.toString()}) {
      PCollectionTuple read = pipeline.apply(p, ReadDump.from(p));
      PAssert.that(read.get(ReadDump.ROWS))
          .satisfies(
              rows -> {
                java.util.Set<String> origins = new java.util.HashSet<>();
                rows.forEach(r -> origins.add(r.origin()));
                // a truncated archive: every row before the cut, lines 1..k with nothing missing
                // (a corrupt one may inflate to garbage before the damage is found)
                for (int i = 1; p.endsWith("cut.jsonl.gz") && i <= origins.size(); i++) {
                  org.junit.jupiter.api.Assertions.assertTrue(origins.contains(p + ":" + i), p + ":" + i);
                }
                org.junit.jupiter.api.Assertions.assertTrue(origins.size() > 100, "" + origins.size());
                org.junit.jupiter.api.Assertions.assertTrue(!p.endsWith("cut.jsonl.gz") || origins.size() < 2000, "" + origins.size());
                return null;
              });
      PAssert.that(read.get(ReadDump.UNREADABLE))
          .satisfies(
              letters -> {
                boolean reported = false;
                for (BadRecord b : letters) {
                  reported |= b.reason().startsWith("the archive cannot be read past byte ");
                }
                org.junit.jupiter.api.Assertions.assertTrue(reported, "the cut is a dead letter: " + letters);
                return null;
              });
    }
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anInputThatABackfillWouldReplaceIsRefusedAndNothingIsDeleted() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path shard = Files.writeString(out.resolve("alerts-00000-of-00001.jsonl"), "{}\n");
    Path mine = Files.writeString(out.resolve("alerts.jsonl"), "{}\n");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> OutputDirectory.prepare(out.toString(), shard.toString(), java.util.List.of(shard)));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("--input: " + shard + " is named as this run's output"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertTrue(Files.exists(shard));
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> OutputDirectory.prepare(out.toString(), out + "/*.jsonl", java.util.List.of(mine)));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("would also read this run's own output"), e.getMessage());
    // a dump beside the output, with a name of its own, is read and never removed
    org.junit.jupiter.api.Assertions.assertEquals(1, OutputDirectory.prepare(out.toString(), mine.toString(), java.util.List.of(mine)));
    org.junit.jupiter.api.Assertions.assertTrue(Files.exists(mine));
    org.junit.jupiter.api.Assertions.assertFalse(Files.exists(shard));
  }
}
