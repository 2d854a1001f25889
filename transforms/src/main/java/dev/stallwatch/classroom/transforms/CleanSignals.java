package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.parse.SignalParser;
import dev.stallwatch.domain.BadRecord;
import java.time.ZoneId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * C1, signal cleaning (CLASSROOM.md C1): turns the nested messages of {@code
 * timeline_client_topic} into flat student classroom {@link Signal}s, each under its input record's
 * key (write them with {@link SignalRecords}), and every message that cannot be used into a {@link
 * #deadLetters() dead letter}. Messages that are not student classroom signals are counted as
 * ignored. See {@link SignalParser} for what is which.
 *
 * <pre>{@code
 * PCollectionTuple cleaned = messages.apply("CleanSignals", CleanSignals.of(config));
 * PCollection<Signal> signals = cleaned.get(CleanSignals.signals());
 * }</pre>
 *
 * <p>What it fixes from the article: a signal's {@code timeStamp} and its element timestamp are its
 * event time ({@code data.timestamp}), not {@code NOW()*1000}, so the output is the same on every
 * replay and C3 counts minutes of the lesson rather than of the job. One table of rules replaces
 * seven copies of the same {@code INSERT}, and unreadable messages are dead letters instead of
 * rows of nulls.
 *
 * <p>Late messages. A streaming source stamps a record it judges too late (see {@link
 * SignalsConfig#tooLate}) with its watermark rather than its event time, as the stall job's source
 * does. A signal whose message is stamped later than its event time is therefore a dead letter
 * {@code late: ...} rather than a signal: it could not be stamped with its event time (Beam refuses
 * to move an element back in time) and C3's grouping would otherwise drop it silently. A message
 * stamped earlier than its event time (a batch dump's elements) is moved forward to it.
 *
 * <p>Counters (namespace {@value ClassroomMetrics#NAMESPACE}): {@code c1.read}, {@code c1.signals},
 * {@code c1.ignored}, {@code c1.bad}, {@code c1.late}.
 */
public final class CleanSignals extends PTransform<PCollection<Message>, PCollectionTuple> {
  private static final TupleTag<Signal> SIGNALS = new TupleTag<Signal>("signals") {};
  private static final TupleTag<BadRecord> DEAD_LETTERS = new TupleTag<BadRecord>("dead-letters") {};

  private final SignalsConfig config;

  private CleanSignals(SignalsConfig config) {
    this.config = config;
  }

  /** Cleans with {@code config}'s event table, reading local times in its zone. */
  public static CleanSignals of(SignalsConfig config) {
    return new CleanSignals(config);
  }

  public static TupleTag<Signal> signals() {
    return SIGNALS;
  }

  public static TupleTag<BadRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  public PCollectionTuple expand(PCollection<Message> messages) {
    PCollectionTuple cleaned =
        messages.apply(
            "Clean",
            ParDo.of(new CleanFn(new SignalParser(config.rules(), config.zone()), config.zoneId()))
                .withOutputTags(SIGNALS, TupleTagList.of(DEAD_LETTERS)));
    cleaned.get(SIGNALS).setCoder(Signal.SignalCoder.of());
    cleaned.get(DEAD_LETTERS).setCoder(BadRecord.BadRecordCoder.of());
    return cleaned;
  }

  private static final class CleanFn extends DoFn<Message, Signal> {
    private final Counter read = ClassroomMetrics.counter(ClassroomMetrics.C1_READ);
    private final Counter signals = ClassroomMetrics.counter(ClassroomMetrics.C1_SIGNALS);
    private final Counter ignored = ClassroomMetrics.counter(ClassroomMetrics.C1_IGNORED);
    private final Counter bad = ClassroomMetrics.counter(ClassroomMetrics.C1_BAD);
    private final Counter late = ClassroomMetrics.counter(ClassroomMetrics.C1_LATE);
    private final SignalParser parser;
    private final String zoneId;

    CleanFn(SignalParser parser, String zoneId) {
      this.parser = parser;
      this.zoneId = zoneId;
    }

    @ProcessElement
    public void process(@Element Message message, @Timestamp Instant stamped, MultiOutputReceiver out) {
      if (dev.stallwatch.text.Text.isBlank(message.value())) {
        return; // never a message: a dump's blank line; a source makes a blank record a dead letter
      }
      read.inc();
      SignalParser.Outcome outcome = parser.parse(message);
      if (outcome instanceof SignalParser.Ignored) {
        ignored.inc();
        return;
      }
      if (outcome instanceof SignalParser.Dead dead) {
        bad.inc();
        out.get(DEAD_LETTERS).output(BadRecord.of(message.value(), message.origin(), dead.reason()));
        return;
      }
      Signal signal = ((SignalParser.Parsed) outcome).signal();
      if (signal.timeStamp() < stamped.getMillis()) {
        late.inc();
        out.get(DEAD_LETTERS)
            .output(
                BadRecord.of(
                    message.value(),
                    message.origin(),
                    ClassroomMetrics.lateReason(signal.timeStamp(), stamped.getMillis(), ZoneId.of(zoneId), "message")));
        return;
      }
      signals.inc();
      out.get(SIGNALS).outputWithTimestamp(signal, new Instant(signal.timeStamp()));
    }
  }
}
