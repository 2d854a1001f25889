package dev.stallwatch.pipeline;

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
    PCollection<RawRow> rows = pipeline.apply(ReadDump.from(csv.toString()));
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
    PCollection<RawRow> rows = pipeline.apply(ReadDump.from(gz.toString()));
    PAssert.that(rows)
        .containsInAnyOrder(RawRow.json(gz + ":1", "{\"a\":1}"), RawRow.json(gz + ":4", "[2]"));
    pipeline.run().waitUntilFinish();
  }
}
