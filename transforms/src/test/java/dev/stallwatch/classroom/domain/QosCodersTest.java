package dev.stallwatch.classroom.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The C4/C5 records survive their coders, the same value always gives the same bytes, and times are local. */
class QosCodersTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static <T> void roundTrip(Coder<T> coder, T value) throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(coder, value);
    assertEquals(value, CoderUtils.decodeFromByteArray(coder, bytes));
    assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, CoderUtils.decodeFromByteArray(coder, bytes)));
    coder.verifyDeterministic();
  }

  @Test
  void recordsRoundTrip() throws Exception {
    QosEvent start = new QosEvent("教室-1", "student", 42, 1710950399000L, "PPT_START", 1710950399999L, "");
    QosEvent success = new QosEvent("教室-1", "", 42, 1710950460000L, "PPT_SUCCESS", 1710950460123L, "7");
    roundTrip(QosEvent.QosEventCoder.of(), start);
    CourseDurationRow row = CourseDurationRow.of(start, success, SHANGHAI);
    roundTrip(CourseDurationRow.CourseDurationRowCoder.of(), row);
    assertEquals(60124, row.spendMillis());
    assertEquals("2024-03-20 23:59:59", row.eventTime());
    assertEquals("2024-03-21 00:01:00", row.createTime());
    AvSample.Key key = new AvSample.Key(-1, 9, "-1", "student", "-1_AUDIO_STATE", -1);
    roundTrip(AvSample.KeyCoder.of(), key);
    roundTrip(AvSample.AvSampleCoder.of(), new AvSample(key, 3, 1710950399999L));
    AvQualityRow av = AvQualityRow.of(1710950370000L, 1710950400000L, key, 7, 2, SHANGHAI);
    roundTrip(AvQualityRow.AvQualityRowCoder.of(), av);
    assertEquals("2024-03-20 23:59:30", av.startTime());
    assertEquals("2024-03-21 00:00:00", av.endTime());
    assertEquals(av.endTime(), av.createTime());
    assertEquals(3.5, av.avg());
  }

  @Test
  void configChecksItsDurations() {
    assertEquals(Duration.standardDays(1), QualityConfig.defaults().courseIdle());
    assertEquals(Duration.standardSeconds(60), QualityConfig.defaults().avWatermarkBound());
    assertEquals(Duration.ZERO, QualityConfig.defaults().avLateness());
    assertThrows(IllegalArgumentException.class, () -> QualityConfig.defaults().withCourseIdle(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> QualityConfig.defaults().withAvLateness(Duration.millis(-1)));
    assertThrows(RuntimeException.class, () -> QualityConfig.defaults().withZoneId("Mars/Olympus"));
  }
}
