package dev.stallwatch.pipeline.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.SignalsConfig;
import java.nio.charset.StandardCharsets;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The classroom topics' event time: each reader reads its job's time field as the job's parser
 * does (nested objects also as JSON strings, times as numbers, digits or local text) and answers
 * NO_TIME for anything else; each too-late rule is its composite's, on the window edges.
 */
class ClassroomEventTimeTest {
  private static final long MINUTE = 1_710_950_400_000L; // 2024-03-21 00:00:00 Asia/Shanghai

  private static long read(ClassroomEventTime time, String json) {
    return time.reader().eventMillis(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readersReadTheirJobsTimeField() {
    ClassroomEventTime signals = ClassroomEventTime.signals(SignalsConfig.defaults());
    assertEquals(MINUTE, read(signals, "{\"DATA\":{\"timestamp\":" + MINUTE + "}}"));
    assertEquals(MINUTE, read(signals, "{\"data\":\"{\\\"timestamp\\\":\\\"" + MINUTE + "\\\"}\"}"));
    assertEquals(MINUTE, read(signals, "{\"data\":{\"timestamp\":\"2024-03-21 00:00:00\"}}"));
    assertEquals(EventTimePolicy.NO_TIME, read(signals, "{\"data\":{\"timestamp\":\"garbage\"}}"));
    assertEquals(EventTimePolicy.NO_TIME, read(signals, "{\"data\":5}"));
    assertEquals(EventTimePolicy.NO_TIME, read(signals, "not json"));
    ClassroomEventTime qos = ClassroomEventTime.qos(QualityConfig.defaults());
    assertEquals(MINUTE, read(qos, "{\"extra\":{\"data_time\":" + MINUTE + "},\"event_time\":1}"));
    assertEquals(EventTimePolicy.NO_TIME, read(qos, "{\"data_time\":" + MINUTE + "}"));
    ClassroomEventTime av = ClassroomEventTime.av(QualityConfig.defaults());
    assertEquals(MINUTE, read(av, "{\"messageCreateTime\":\"" + MINUTE + "\"}"));
    assertEquals(EventTimePolicy.NO_TIME, read(av, "{\"messageCreateTime\":null}"));
    assertEquals(Duration.standardSeconds(5), signals.watermarkBound());
    assertEquals(Duration.standardSeconds(60), qos.watermarkBound());
    assertEquals(Duration.standardSeconds(60), av.watermarkBound());
  }

  @Test
  void tooLateIsEachCompositesRule() {
    EventTimePolicy.TooLate c3 = ClassroomEventTime.signals(SignalsConfig.defaults()).tooLate();
    assertFalse(c3.test(MINUTE, MINUTE + 59_999), "its minute's last millisecond is not behind the watermark");
    assertTrue(c3.test(MINUTE, MINUTE + 60_000));
    EventTimePolicy.TooLate c3Lateness =
        ClassroomEventTime.signals(SignalsConfig.builder().allowedLateness(Duration.standardSeconds(10)).build()).tooLate();
    assertFalse(c3Lateness.test(MINUTE, MINUTE + 69_999));
    assertTrue(c3Lateness.test(MINUTE, MINUTE + 70_000));
    EventTimePolicy.TooLate c4 = ClassroomEventTime.qos(QualityConfig.defaults()).tooLate();
    assertFalse(c4.test(MINUTE, MINUTE));
    assertTrue(c4.test(MINUTE, MINUTE + 1));
    EventTimePolicy.TooLate c5 = ClassroomEventTime.av(QualityConfig.defaults()).tooLate();
    assertFalse(c5.test(MINUTE + 10_000, MINUTE + 29_999));
    assertTrue(c5.test(MINUTE + 10_000, MINUTE + 30_000));
    EventTimePolicy.TooLate c5Lateness =
        ClassroomEventTime.av(QualityConfig.defaults().withAvLateness(Duration.standardSeconds(5))).tooLate();
    assertFalse(c5Lateness.test(MINUTE + 29_999, MINUTE + 34_999));
    assertTrue(c5Lateness.test(MINUTE + 29_999, MINUTE + 35_000));
  }
}
