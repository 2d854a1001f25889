package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QosEvent;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.parse.QosParser;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.Text;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * CLASSROOM.md C4, recorded-course duration: from {@code qos_log} messages to rows of {@code
 * user_enter_classroom_take_time}, and dead letters.
 *
 * <p>For each {@code PPT_SUCCESS} of a (user, classroom), {@code spend_time} = its {@code
 * extra.data_time} minus the earliest {@code data_time} of that user's events in that classroom
 * before it, in the same visit:
 *
 * <ul>
 *   <li><b>Before it</b> means a strictly earlier {@code data_time} (as the article's {@code
 *       a.extraDataTime < b.extraDataTime}). Events at the success's own time, other successes
 *       included, count as its visit but cannot be its start. A success with no strictly earlier
 *       event in its visit — the first event, or tied with it — gives no row (counted {@code
 *       c4.unmatched}). Earlier successes are events like any other.
 *   <li><b>A visit</b>: the user's events in the classroom sorted by {@code data_time}; a gap of
 *       {@code courseIdle} (default 1 day) or more between two consecutive ones starts a new visit.
 *       So a success one idle time or more after everything before it does not see the old
 *       earliest event, and state is forgotten once the watermark passes the latest event plus the
 *       idle time: it is bounded.
 *   <li><b>One row per success time</b>: upsert key (user, classroom, success time in ms);
 *       duplicates of a success give one row. Ties of the earliest event are broken by {@link
 *       QosEvent#EARLIEST_FIRST}, whose {@code event_time} and {@code user_type} the row takes.
 * </ul>
 *
 * <p>What this fixes from the article: its self-join wrote one row per earlier event (here one per
 * success, against the earliest), kept every event forever (here a visit's summary and the events
 * not yet settled), and stamped rows with processing time (here {@code create_time} is the success
 * time). A row leaves once the watermark passes its success time and is final then, so any input
 * order gives the same rows.
 *
 * <p>How: one stateful {@link DoFn} per (user, classroom) with one event-time timer. Arriving events
 * wait in a bag; when the watermark passes a success's time — or, to keep the bag small, a minute
 * after an event — the events up to then are settled in time order into the visit's summary (its
 * earliest event and its latest time), rows leave, and the bag keeps only later events. A message
 * its source stamped later than its {@code data_time} (the source's watermark had passed it, as
 * {@code ParseRows} treats the stall rows) is a dead letter {@code late}; the source for C4 allows
 * no lateness, so no event settles after its time.
 *
 * <pre>{@code
 * PCollectionTuple out = messages.apply("CourseDuration", CourseDuration.of(config));
 * out.get(CourseDuration.rows()); out.get(CourseDuration.deadLetters());
 * }</pre>
 */
public final class CourseDuration extends PTransform<PCollection<Message>, PCollectionTuple> {
  private static final TupleTag<CourseDurationRow> ROWS = new TupleTag<CourseDurationRow>("rows") {};
  private static final TupleTag<BadRecord> DEAD_LETTERS = new TupleTag<BadRecord>("dead-letters") {};
  private static final TupleTag<QosEvent> EVENTS = new TupleTag<QosEvent>("events") {};

  /** How long after an event at the latest its pending events are settled, bounding the bag. */
  static final Duration SETTLE_EVERY = Duration.standardMinutes(1);

  private final QualityConfig config;

  private CourseDuration(QualityConfig config) {
    this.config = config;
  }

  public static CourseDuration of(QualityConfig config) {
    return new CourseDuration(config);
  }

  public static TupleTag<CourseDurationRow> rows() {
    return ROWS;
  }

  public static TupleTag<BadRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  public PCollectionTuple expand(PCollection<Message> messages) {
    PCollectionTuple parsed =
        messages.apply(
            "ParseQos",
            ParDo.of(new ParseFn(new QosParser(config.zone()), config.zoneId()))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(EVENTS).setCoder(QosEvent.QosEventCoder.of());
    parsed.get(DEAD_LETTERS).setCoder(BadRecord.BadRecordCoder.of());
    PCollection<CourseDurationRow> rows =
        parsed
            .get(EVENTS)
            .apply(
                "KeyByUserAndClassroom",
                WithKeys.of((QosEvent e) -> e.userId() + "\u0001" + e.classroomId())
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), QosEvent.QosEventCoder.of()))
            .apply("SpendTime", ParDo.of(new SpendTimeFn(config.courseIdle(), config.zoneId())))
            .setCoder(CourseDurationRow.CourseDurationRowCoder.of());
    return PCollectionTuple.of(ROWS, rows).and(DEAD_LETTERS, parsed.get(DEAD_LETTERS));
  }

  private static final class ParseFn extends DoFn<Message, QosEvent> {
    private final Counter read = ClassroomMetrics.counter(ClassroomMetrics.C4_READ);
    private final Counter bad = ClassroomMetrics.counter(ClassroomMetrics.C4_BAD);
    private final Counter late = ClassroomMetrics.counter(ClassroomMetrics.C4_LATE);
    private final QosParser parser;
    private final String zoneId;
    private transient ZoneId zone;

    ParseFn(QosParser parser, String zoneId) {
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
      QosParser.Parsed p = parser.parse(m);
      if (!p.ok()) {
        bad.inc();
        out.get(DEAD_LETTERS).output(BadRecord.of(m.value(), m.origin(), p.reason()));
        return;
      }
      long time = p.event().dataTime();
      if (time < stamped.getMillis()) {
        late.inc();
        out.get(DEAD_LETTERS)
            .output(BadRecord.of(m.value(), m.origin(), ClassroomMetrics.lateReason(time, stamped.getMillis(), zone, "message")));
        return;
      }
      out.get(EVENTS).outputWithTimestamp(p.event(), new Instant(time));
    }
  }

  private static final class SpendTimeFn extends DoFn<KV<String, QosEvent>, CourseDurationRow> {
    private final Counter rowsOut = ClassroomMetrics.counter(ClassroomMetrics.C4_ROWS);
    private final Counter unmatched = ClassroomMetrics.counter(ClassroomMetrics.C4_UNMATCHED);
    private final long idle;
    private final long settleEvery;
    private final String zoneId;
    private transient ZoneId zone;

    /** Events not yet settled: all later than the last settled time. */
    @StateId("pending")
    private final StateSpec<BagState<QosEvent>> pendingSpec = StateSpecs.bag(QosEvent.QosEventCoder.of());

    /** The earliest event of the visit the settled events end in. */
    @StateId("visitStart")
    private final StateSpec<ValueState<QosEvent>> visitStartSpec = StateSpecs.value(QosEvent.QosEventCoder.of());

    /** The latest settled time of that visit. */
    @StateId("visitLast")
    private final StateSpec<ValueState<Long>> visitLastSpec = StateSpecs.value(VarLongCoder.of());

    /** The latest time of any event, settled or not: the state expires one idle time after it. */
    @StateId("latest")
    private final StateSpec<ValueState<Long>> latestSpec = StateSpecs.value(VarLongCoder.of());

    /** The success time of the last row, so a duplicate success settled later gives no second row. */
    @StateId("lastRow")
    private final StateSpec<ValueState<Long>> lastRowSpec = StateSpecs.value(VarLongCoder.of());

    /** When the timer is set for. */
    @StateId("wakeAt")
    private final StateSpec<ValueState<Long>> wakeAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("wake")
    private final TimerSpec wakeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    SpendTimeFn(Duration idle, String zoneId) {
      this.idle = idle.getMillis();
      this.settleEvery = Math.min(idle.getMillis(), SETTLE_EVERY.getMillis());
      this.zoneId = zoneId;
    }

    @Setup
    public void setup() {
      zone = ZoneId.of(zoneId);
    }

    private long wakeFor(QosEvent e) {
      return e.isSuccess() ? e.dataTime() : e.dataTime() + settleEvery;
    }

    @ProcessElement
    public void process(
        @Element KV<String, QosEvent> element,
        @StateId("pending") BagState<QosEvent> pending,
        @StateId("latest") ValueState<Long> latest,
        @StateId("wakeAt") ValueState<Long> wakeAt,
        @TimerId("wake") Timer wake) {
      QosEvent e = element.getValue();
      pending.add(e);
      Long max = latest.read();
      if (max == null || e.dataTime() > max) {
        latest.write(e.dataTime());
      }
      long at = wakeFor(e);
      Long current = wakeAt.read();
      if (current == null || at < current) {
        wake.set(new Instant(at));
        wakeAt.write(at);
      }
    }

    @OnTimer("wake")
    public void onWake(
        OnTimerContext ctx,
        @StateId("pending") BagState<QosEvent> pending,
        @StateId("visitStart") ValueState<QosEvent> visitStart,
        @StateId("visitLast") ValueState<Long> visitLast,
        @StateId("latest") ValueState<Long> latest,
        @StateId("lastRow") ValueState<Long> lastRow,
        @StateId("wakeAt") ValueState<Long> wakeAt,
        @TimerId("wake") Timer wake) {
      long now = ctx.fireTimestamp().getMillis();
      // The watermark has reached `now`: every event up to it has come (a later one would be late).
      List<QosEvent> settle = new ArrayList<>();
      List<QosEvent> keep = new ArrayList<>();
      for (QosEvent e : pending.read()) {
        (e.dataTime() <= now ? settle : keep).add(e);
      }
      settle.sort(QosEvent.EARLIEST_FIRST);
      QosEvent start = visitStart.read();
      Long lastValue = visitLast.read();
      long last = lastValue == null ? Long.MIN_VALUE : lastValue;
      Long rowValue = lastRow.read();
      long lastRowAt = rowValue == null ? Long.MIN_VALUE : rowValue;
      for (QosEvent e : settle) {
        if (start == null || e.dataTime() - last >= idle) {
          start = e; // a new visit
          last = e.dataTime();
        } else {
          last = Math.max(last, e.dataTime());
          if (QosEvent.EARLIEST_FIRST.compare(e, start) < 0) {
            start = e; // a tie with the start settled after it: the tie-break decides
          }
        }
        if (e.isSuccess()) {
          if (start.dataTime() >= e.dataTime()) {
            unmatched.inc();
          } else if (e.dataTime() > lastRowAt) {
            lastRowAt = e.dataTime();
            rowsOut.inc();
            ctx.output(CourseDurationRow.of(start, e, zone));
          }
        }
      }
      long max = latest.read();
      if (keep.isEmpty() && now >= max + idle) {
        // No event for an idle time: forget the (user, classroom).
        pending.clear();
        visitStart.clear();
        visitLast.clear();
        latest.clear();
        lastRow.clear();
        wakeAt.clear();
        return;
      }
      if (start != null) {
        visitStart.write(start);
        visitLast.write(last);
      }
      if (lastRowAt != Long.MIN_VALUE) {
        lastRow.write(lastRowAt);
      }
      long next = max + idle;
      if (!settle.isEmpty()) {
        pending.clear();
        for (QosEvent e : keep) {
          pending.add(e);
          next = Math.min(next, wakeFor(e));
        }
      } else {
        for (QosEvent e : keep) {
          next = Math.min(next, wakeFor(e));
        }
      }
      wake.set(new Instant(next));
      wakeAt.write(next);
    }
  }
}
