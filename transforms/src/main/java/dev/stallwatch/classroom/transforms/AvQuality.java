package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.AvSample;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.parse.AvParser;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.Text;
import java.time.ZoneId;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * CLASSROOM.md C5, live audio/video quality per 30 seconds: from {@code agora_record} messages to
 * rows of {@code user_av_record}, and dead letters.
 *
 * <p>Each student message gives up to one audio sample ({@code agora_audioState.lost >= 0}) and one
 * video sample ({@code agora_videoState.fr >= 0}) — {@link AvParser} — which are summed and counted
 * per tumbling 30-second event-time window of {@code messageCreateTime} and window key (user,
 * channel, classroom, user type, event, uid). A row leaves when the watermark passes its window's
 * end; a sample within the allowed lateness ({@code avLateness}, default 0) after it rewrites the
 * row with the new totals (accumulating panes; upsert by start time and key). A message its source
 * stamped later than its {@code messageCreateTime} — the {@code agora_record} source stamps a
 * record more than the allowed lateness behind its watermark with the watermark, as the stall
 * source does — is a dead letter {@code late}: never silently dropped.
 *
 * <p>What this fixes from the article: two jobs (audio, video) become one; {@code create_time} is
 * the window's end instead of processing time, so a replay gives identical rows; a record with a
 * missing key field keeps its {@code -1} key, which the article's {@code CASE WHEN} gave only some
 * fields; late records are counted and kept instead of vanishing.
 */
public final class AvQuality extends PTransform<PCollection<Message>, PCollectionTuple> {
  private static final TupleTag<AvQualityRow> ROWS = new TupleTag<AvQualityRow>("rows") {};
  private static final TupleTag<BadRecord> DEAD_LETTERS = new TupleTag<BadRecord>("dead-letters") {};
  private static final TupleTag<KV<AvSample.Key, KV<Long, Long>>> SAMPLES =
      new TupleTag<KV<AvSample.Key, KV<Long, Long>>>("samples") {};

  private final QualityConfig config;

  private AvQuality(QualityConfig config) {
    this.config = config;
  }

  public static AvQuality of(QualityConfig config) {
    return new AvQuality(config);
  }

  public static TupleTag<AvQualityRow> rows() {
    return ROWS;
  }

  public static TupleTag<BadRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  public PCollectionTuple expand(PCollection<Message> messages) {
    PCollectionTuple parsed =
        messages.apply(
            "ParseAv",
            ParDo.of(new ParseFn(new AvParser(config.zone()), config.zoneId()))
                .withOutputTags(SAMPLES, TupleTagList.of(DEAD_LETTERS)));
    KvCoder<Long, Long> sumCount = KvCoder.of(VarLongCoder.of(), VarLongCoder.of());
    parsed.get(SAMPLES).setCoder(KvCoder.of(AvSample.KeyCoder.of(), sumCount));
    parsed.get(DEAD_LETTERS).setCoder(BadRecord.BadRecordCoder.of());
    PCollection<AvQualityRow> rows =
        parsed
            .get(SAMPLES)
            .apply(
                "Window30s",
                Window.<KV<AvSample.Key, KV<Long, Long>>>into(FixedWindows.of(QualityConfig.AV_WINDOW))
                    .triggering(
                        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(config.avLateness(), Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
                    .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                    .accumulatingFiredPanes())
            .apply("SumAndCount", Combine.perKey(new SumCount()))
            .apply("ToRows", ParDo.of(new ToRowFn(config.zoneId())))
            .setCoder(AvQualityRow.AvQualityRowCoder.of());
    return PCollectionTuple.of(ROWS, rows).and(DEAD_LETTERS, parsed.get(DEAD_LETTERS));
  }

  /** Adds (sum, count) pairs. */
  private static final class SumCount implements SerializableFunction<Iterable<KV<Long, Long>>, KV<Long, Long>> {
    @Override
    public KV<Long, Long> apply(Iterable<KV<Long, Long>> values) {
      long sum = 0;
      long count = 0;
      for (KV<Long, Long> v : values) {
        sum += v.getKey();
        count += v.getValue();
      }
      return KV.of(sum, count);
    }
  }

  private static final class ParseFn extends DoFn<Message, KV<AvSample.Key, KV<Long, Long>>> {
    private final Counter read = ClassroomMetrics.counter(ClassroomMetrics.C5_READ);
    private final Counter bad = ClassroomMetrics.counter(ClassroomMetrics.C5_BAD);
    private final Counter late = ClassroomMetrics.counter(ClassroomMetrics.C5_LATE);
    private final Counter ignored = ClassroomMetrics.counter(ClassroomMetrics.C5_IGNORED);
    private final AvParser parser;
    private final String zoneId;
    private transient ZoneId zone;

    ParseFn(AvParser parser, String zoneId) {
      this.parser = parser;
      this.zoneId = zoneId;
    }

    @Setup
    public void setup() {
      zone = ZoneId.of(zoneId);
    }

    @ProcessElement
    public void process(@Element Message m, @Timestamp Instant stamped, MultiOutputReceiver out) {
      if (Text.isBlank(m.value())) {
        return;
      }
      read.inc();
      AvParser.Parsed p = parser.parse(m);
      if (p.isBad()) {
        bad.inc();
        out.get(DEAD_LETTERS).output(BadRecord.of(m.value(), m.origin(), p.bad()));
        return;
      }
      if (p.isIgnored()) {
        ignored.inc();
        return;
      }
      if (p.timeMillis() < stamped.getMillis()) {
        late.inc();
        out.get(DEAD_LETTERS)
            .output(BadRecord.of(m.value(), m.origin(), ClassroomMetrics.lateReason(p.timeMillis(), stamped.getMillis(), zone, "message")));
        return;
      }
      Instant at = new Instant(p.timeMillis());
      for (AvSample s : p.samples()) {
        out.get(SAMPLES).outputWithTimestamp(KV.of(s.key(), KV.of(s.value(), 1L)), at);
      }
    }
  }

  private static final class ToRowFn extends DoFn<KV<AvSample.Key, KV<Long, Long>>, AvQualityRow> {
    private final Counter rowsOut = ClassroomMetrics.counter(ClassroomMetrics.C5_ROWS);
    private final String zoneId;
    private transient ZoneId zone;

    ToRowFn(String zoneId) {
      this.zoneId = zoneId;
    }

    @Setup
    public void setup() {
      zone = ZoneId.of(zoneId);
    }

    @ProcessElement
    public void process(
        @Element KV<AvSample.Key, KV<Long, Long>> total, BoundedWindow window, OutputReceiver<AvQualityRow> out) {
      IntervalWindow w = (IntervalWindow) window;
      rowsOut.inc();
      out.output(
          AvQualityRow.of(
              w.start().getMillis(),
              w.end().getMillis(),
              total.getKey(),
              total.getValue().getKey(),
              total.getValue().getValue(),
              zone));
    }
  }
}
