package dev.stallwatch.transforms;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.RawRow;
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

  private static final class ParseFn extends DoFn<RawRow, Event> {
    private final Counter rowsRead = StallMetrics.counter(StallMetrics.ROWS_READ);
    private final Counter badRows = StallMetrics.counter(StallMetrics.BAD_ROWS);
    private final Counter lateRows = StallMetrics.counter(StallMetrics.LATE_ROWS);
    private final RowParser parser;
    private final String zoneId;

    ParseFn(RowParser parser, String zoneId) {
      this.parser = parser;
      this.zoneId = zoneId;
    }

    @ProcessElement
    public void process(@Element RawRow row, @Timestamp Instant stamped, MultiOutputReceiver out) {
      if (Text.isBlank(row.text())) {
        return;
      }
      rowsRead.inc();
      Event event;
      try {
        event = parser.parse(row);
      } catch (RowParser.BadRowException e) {
        badRows.inc();
        // id_no never leaves the pipeline, not even in a dead letter.
        out.get(DEAD_LETTERS).output(BadRecord.of(IdMasking.mask(row), row.origin(), e.getMessage()));
        return;
      }
      if (event.eventMillis() < stamped.getMillis()) {
        lateRows.inc();
        ZoneId zone = ZoneId.of(zoneId);
        out.get(DEAD_LETTERS)
            .output(
                BadRecord.of(
                    IdMasking.mask(row),
                    row.origin(),
                    "late: event time "
                        + EventTimes.dateTime(event.eventMillis(), zone)
                        + " is before "
                        + EventTimes.dateTime(stamped.getMillis(), zone)
                        + ", the time its source gave the row"));
        return;
      }
      // Event time is the row's last_update_datetime (SPEC §1).
      out.get(EVENTS).outputWithTimestamp(event, new Instant(event.eventMillis()));
    }
  }
}
