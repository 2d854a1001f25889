package dev.stallwatch.transforms;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.parse.IdMasking;
import dev.stallwatch.parse.RowParser;
import dev.stallwatch.text.Text;
import dev.stallwatch.text.EventTimes;
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
 * Parses raw rows into {@link Event}s (SPEC §1). Every row that cannot be used goes to {@link
 * #deadLetters()} with its raw text (its {@code id_no} masked), origin and reason; blank rows are skipped. Events are stamped
 * with their event time.
 *
 * <p>A row whose source stamped it later than its event time (a streaming source does so with a
 * row it judged late) is a dead letter {@code late: ...} rather than an event: an event is never
 * stamped earlier than its row, which Beam refuses and a session already closed would drop.
 */
public final class ParseRows extends PTransform<PCollection<RawRow>, PCollectionTuple> {
  private static final TupleTag<Event> EVENTS = new TupleTag<Event>("events") {};
  private static final TupleTag<BadRecord> DEAD_LETTERS = new TupleTag<BadRecord>("dead-letters") {};

  private final ZoneId zone;

  private ParseRows(ZoneId zone) {
    this.zone = zone;
  }

  /** Reads times as local times of {@code zone}. */
  public static ParseRows inZone(ZoneId zone) {
    return new ParseRows(zone);
  }

  public static TupleTag<Event> events() {
    return EVENTS;
  }

  public static TupleTag<BadRecord> deadLetters() {
    return DEAD_LETTERS;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRow> rows) {
    PCollectionTuple parsed =
        rows.apply(
            "Parse",
            ParDo.of(new ParseFn(new RowParser(zone), zone.getId()))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(EVENTS).setCoder(Event.EventCoder.of());
    parsed.get(DEAD_LETTERS).setCoder(BadRecord.BadRecordCoder.of());
    return parsed;
  }

  /**
   * The same parsing for the backfill's single stream ({@link StallRecord}): each row becomes an
   * event or a dead letter, on the one output; records of other kinds pass unchanged. A finite
   * input has no late rows (its elements carry the minimum timestamp), and its events keep that
   * stamp: the batch engine groups them in the global window.
   */
  public static PTransform<PCollection<StallRecord>, PCollection<StallRecord>> records(ZoneId zone) {
    return new PTransform<>() {
      @Override
      public PCollection<StallRecord> expand(PCollection<StallRecord> records) {
        return records
            .apply("Parse", ParDo.of(new ParseRecordsFn(new RowParser(zone), zone.getId())))
            .setCoder(StallRecord.StallRecordCoder.of());
      }
    };
  }

  /** Parses one row: counts it, and answers its event, its dead letter or null for a blank row. */
  private abstract static class RowFn<I, O> extends DoFn<I, O> {
    private final Counter rowsRead = StallMetrics.counter(StallMetrics.ROWS_READ);
    private final Counter badRows = StallMetrics.counter(StallMetrics.BAD_ROWS);
    private final Counter lateRows = StallMetrics.counter(StallMetrics.LATE_ROWS);
    private final RowParser parser;
    private final String zoneId;

    RowFn(RowParser parser, String zoneId) {
      this.parser = parser;
      this.zoneId = zoneId;
    }

    /** An {@link Event}, a {@link BadRecord}, or null when the row is blank. */
    final Object parse(RawRow row, Instant stamped) {
      if (Text.isBlank(row.text())) {
        return null;
      }
      rowsRead.inc();
      Event event;
      try {
        event = parser.parse(row);
      } catch (RowParser.BadRowException e) {
        badRows.inc();
        // id_no never leaves the pipeline, not even in a dead letter.
        return BadRecord.of(IdMasking.mask(row), row.origin(), e.getMessage());
      }
      if (event.eventMillis() < stamped.getMillis()) {
        lateRows.inc();
        ZoneId zone = ZoneId.of(zoneId);
        return BadRecord.of(
            IdMasking.mask(row),
            row.origin(),
            "late: event time "
                + EventTimes.dateTime(event.eventMillis(), zone)
                + " is before "
                + EventTimes.dateTime(stamped.getMillis(), zone)
                + ", the time its source gave the row");
      }
      return event;
    }
  }

  private static final class ParseFn extends RowFn<RawRow, Event> {
    ParseFn(RowParser parser, String zoneId) {
      super(parser, zoneId);
    }

    @ProcessElement
    public void process(@Element RawRow row, @Timestamp Instant stamped, MultiOutputReceiver out) {
      Object parsed = parse(row, stamped);
      if (parsed instanceof Event event) {
        // Event time is the row's last_update_datetime (SPEC §1).
        out.get(EVENTS).outputWithTimestamp(event, new Instant(event.eventMillis()));
      } else if (parsed instanceof BadRecord bad) {
        out.get(DEAD_LETTERS).output(bad);
      }
    }
  }

  private static final class ParseRecordsFn extends RowFn<StallRecord, StallRecord> {
    ParseRecordsFn(RowParser parser, String zoneId) {
      super(parser, zoneId);
    }

    @ProcessElement
    public void process(@Element StallRecord record, @Timestamp Instant stamped, OutputReceiver<StallRecord> out) {
      if (record.kind() != StallRecord.Kind.ROW) {
        out.output(record);
        return;
      }
      Object parsed = parse(record.row(), stamped);
      if (parsed instanceof Event event) {
        out.output(StallRecord.of(event));
      } else if (parsed instanceof BadRecord bad) {
        out.output(StallRecord.of(bad));
      }
    }
  }
}
