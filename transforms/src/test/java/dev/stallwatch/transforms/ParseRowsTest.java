package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.RawRow;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ParseRows never stamps an event earlier than its row: such a row is a dead letter 'late'. */
@ExtendWith(TestPipelineExtension.class)
class ParseRowsTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private static Instant at(String local) {
    return new Instant(LocalDateTime.parse(local).atZone(ZONE).toInstant().toEpochMilli());
  }

  private static RawRow row(String origin, String mobile, String time) {
    return RawRow.json(
        origin,
        "{\"mobile_tel\":\"" + mobile + "\",\"id_no\":\"440101199001010011\",\"request_status\":\"0\",\"last_update_datetime\":\"" + time + "\"}");
  }

  @Test
  void aRowStampedLaterThanItsTimeIsALateDeadLetter(TestPipeline pipeline) {
    PCollectionTuple parsed =
        pipeline
            .apply(
                Create.timestamped(
                    List.of(
                        TimestampedValue.of(row("k/0/1", "1", "2024-03-20 10:00:00"), at("2024-03-20T10:00:00")),
                        TimestampedValue.of(row("k/0/2", "2", "2024-03-20 10:00:00"), at("2024-03-20T09:00:00")),
                        TimestampedValue.of(row("k/0/3", "3", "2024-03-20 10:00:00"), at("2024-03-20T11:00:00")))))
            .apply(ParseRows.inZone(ZONE));
    PAssert.that(
            parsed
                .get(ParseRows.events())
                .apply(MapElements.into(TypeDescriptors.strings()).via(Event::mobile)))
        .containsInAnyOrder("1", "2");
    PAssert.that(parsed.get(ParseRows.deadLetters()))
        .containsInAnyOrder(
            BadRecord.of(
                "{\"mobile_tel\":\"3\",\"id_no\":\"***\",\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"}",
                "k/0/3",
                "late: event time 2024-03-20 10:00:00 is before 2024-03-20 11:00:00, the time its source gave the row"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long late = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StallMetrics.NAMESPACE, StallMetrics.LATE_ROWS))
                    .build())
            .getCounters()) {
      late += c.getAttempted();
    }
    assertEquals(1, late);
  }

  @Test
  void aRowOfControlCharactersIsADeadLetterAndOnlyWhiteSpaceIsSkipped(TestPipeline pipeline) {
    PCollectionTuple parsed =
        pipeline
            .apply(
                Create.of(
                    RawRow.json("k/0/1", "\u0000"),
                    RawRow.json("k/0/2", "\u001a"),
                    RawRow.json("k/0/3", " \u0000"),
                    RawRow.json("k/0/4", " \t\u3000\u00a0"),
                    RawRow.csv("f:2", "\u0000,\u0000", "MOBILE_TEL,REQUEST_STATUS,LAST_UPDATE_DATETIME")))
            .apply(ParseRows.inZone(ZONE));
    PAssert.that(parsed.get(ParseRows.events())).empty();
    PAssert.that(
            parsed
                .get(ParseRows.deadLetters())
                .apply(MapElements.into(TypeDescriptors.strings()).via(BadRecord::origin)))
        .containsInAnyOrder("k/0/1", "k/0/2", "k/0/3", "f:2");
    pipeline.run().waitUntilFinish();
  }
}
