package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.domain.Message;
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
  private static ParseRows.Result<String> parse(Message m) {
    return m.value().startsWith("{") ? ParseRows.Result.of(m.value().toUpperCase(), null) : ParseRows.Result.of(null, "not an object");
  }

  @Test
  void rowsDeadLettersAndBlanks(TestPipeline pipeline) {
    PCollectionTuple out =
        pipeline
            .apply(
                Create.of(new Message(null, "{a}", "t/0/1"), new Message(null, "   ", "t/0/2"), new Message(null, "oops", "t/0/3"))
                    .withCoder(Message.MessageCoder.of()))
            .apply(ParseRows.of("t_", StringUtf8Coder.of(), ParseRowsTest::parse));
    PAssert.that(out.get(ParseRows.<String>rows())).containsInAnyOrder("{A}");
    PAssert.that(
            out.get(ParseRows.deadLetters())
                .apply(MapElements.into(TypeDescriptors.strings()).via((BadRecord b) -> b.raw() + " | " + b.origin() + " | " + b.reason())))
        .containsInAnyOrder("oops | t/0/3 | not an object");
    pipeline.run().waitUntilFinish();
  }
}
