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
}
