package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.parse.RowParser;
import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.Text;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Messages of one topic read into rows by a parser; a message the parser refuses is a dead letter
 * with its raw text, origin and the parser's reason. Blank messages are skipped, as every classroom
 * job does. Counters {@code PREFIXread} and {@code PREFIXbad} in namespace {@value
 * ClassroomMetrics#NAMESPACE}.
 */
public final class ParseRows<T> extends PTransform<PCollection<Message>, PCollectionTuple> {
  private static final TupleTag<Object> ROWS = new TupleTag<>("rows") {};
  private static final TupleTag<BadRecord> DEAD_LETTERS = new TupleTag<>("dead-letters") {};

  private final String metricPrefix;
  private final Coder<T> coder;
  private final RowParser<T> parser;

  private ParseRows(String metricPrefix, Coder<T> coder, RowParser<T> parser) {
    this.metricPrefix = metricPrefix;
    this.coder = coder;
    this.parser = parser;
  }

  public static <T> ParseRows<T> of(String metricPrefix, Coder<T> coder, RowParser<T> parser) {
    return new ParseRows<>(metricPrefix, coder, parser);
  }

  @SuppressWarnings("unchecked")
  public static <T> TupleTag<T> rows() {
    return (TupleTag<T>) (TupleTag<?>) ROWS;
  }

  public static TupleTag<BadRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollectionTuple expand(PCollection<Message> messages) {
    PCollectionTuple out =
        messages.apply(
            "Parse", ParDo.of(new ParseFn<>(metricPrefix, parser)).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    out.get(ROWS).setCoder((Coder<Object>) coder);
    out.get(DEAD_LETTERS).setCoder(BadRecord.BadRecordCoder.of());
    return out;
  }

  private static final class ParseFn<T> extends DoFn<Message, Object> {
    private final Counter read;
    private final Counter bad;
    private final RowParser<T> parser;

    ParseFn(String prefix, RowParser<T> parser) {
      this.read = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "read");
      this.bad = Metrics.counter(ClassroomMetrics.NAMESPACE, prefix + "bad");
      this.parser = parser;
    }

    @ProcessElement
    public void process(@Element Message m, MultiOutputReceiver out) {
      if (Text.isBlank(m.value())) {
        return;
      }
      read.inc();
      RowParser.Parsed<T> r = parser.parse(m);
      if (!r.ok()) {
        bad.inc();
        out.get(DEAD_LETTERS).output(BadRecord.of(m.value(), m.origin(), r.reason()));
        return;
      }
      out.get(ROWS).output(r.row());
    }
  }
}
