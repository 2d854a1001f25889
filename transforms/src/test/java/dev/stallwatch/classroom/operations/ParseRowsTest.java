package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.parse.RowParser;
import java.time.ZoneId;
import dev.stallwatch.domain.BadRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ParseRows}: rows from the parser, its refusals as dead letters (raw text, origin, reason), blank messages skipped. */
@ExtendWith(TestPipelineExtension.class)
class ParseRowsTest {
  /** A row of a JSON object's {@code a} and its arrival; no {@code a} is a dead letter. */
  private static final class AParser extends RowParser<String> {
    AParser() {
      super(ZoneId.of("UTC"));
    }

    @Override
    protected String read(JsonRecord r, long arrival, ZoneId zone) {
      String a = r.text("a");
      if (a == null) {
        throw new IllegalArgumentException("a: missing");
      }
      return a.toUpperCase() + "@" + arrival;
    }
  }

  @Test
  void rowsDeadLettersAndBlanks(TestPipeline pipeline) {
    PCollectionTuple out =
        pipeline
            .apply(
                Create.of(
                        new Message(null, "{\"a\":\"x\"}", "t/0/1"),
                        new Message(null, "   ", "t/0/2"),
                        new Message(null, "{\"b\":1}", "t/0/3"))
                    .withCoder(Message.MessageCoder.of()))
            .apply(ParseRows.of("t_", StringUtf8Coder.of(), new AParser()));
    PAssert.that(out.get(ParseRows.<String>rows())).containsInAnyOrder("X@1");
    PAssert.that(
            out.get(ParseRows.deadLetters())
                .apply(MapElements.into(TypeDescriptors.strings()).via((BadRecord b) -> b.raw() + " | " + b.origin() + " | " + b.reason())))
        .containsInAnyOrder("{\"b\":1} | t/0/3 | a: missing");
    pipeline.run().waitUntilFinish();
  }
}
