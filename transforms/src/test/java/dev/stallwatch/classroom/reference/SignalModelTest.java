package dev.stallwatch.classroom.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model on a hand-made input whose answer is written out: minute edges, duplicates, late. */
class SignalModelTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private static long at(String local) {
    return LocalDateTime.parse(local).atZone(ZONE).toInstant().toEpochMilli();
  }

  private static SignalModel.Arrival audio(String user, long t, long stamp, String origin) {
    String value =
        "{\"data\":{\"userid\":\"" + user + "\",\"roomId\":\"7\",\"timestamp\":" + t
            + ",\"role\":2,\"msgid\":305,\"msg\":{\"msgtype\":116,\"msg_data\":{\"target_type\":\"template\",\"action\":\"audio\",\"sub_action\":\"start\"}}}}";
    return new SignalModel.Arrival(new Message(null, value, origin), stamp);
  }

  @Test
  void minutesDuplicatesAndLateSignals() {
    long midnight = at("2024-03-21T00:00:00");
    List<SignalModel.Arrival> in = new ArrayList<>();
    in.add(audio("u1", midnight - 1, midnight - 1, "o1")); // 23:59:59.999
    in.add(audio("u1", midnight, midnight, "o2")); // 00:00:00.000, the next minute
    in.add(audio("u1", midnight + 1, midnight + 1, "o3"));
    in.add(audio("u1", midnight + 1, midnight + 1, "o4")); // the same signal again
    in.add(audio("u1", midnight + 2, midnight + 60_000, "o5")); // stamped later: late
    in.add(audio("u2", midnight + 59_999, midnight, "o6"));
    in.add(new SignalModel.Arrival(new Message(null, "{\"data\":{\"msgid\":1}}", "o7"), midnight));
    SignalModel.Result r = SignalModel.of(SignalsConfig.defaults()).run(in);
    assertEquals(7, r.read);
    assertEquals(5, r.signals.size());
    assertEquals(1, r.ignored);
    assertEquals(1, r.late);
    assertEquals(
        "late: event time 2024-03-21 00:00:00.002 is before 2024-03-21 00:01:00.000, the time its source gave the message",
        r.deadLetters.get(0).reason());
    assertEquals(
        List.of(
            new SignalCount(midnight - 60_000, midnight, midnight - 1, "Asia/Shanghai", "7", "u1", "2", "AUDIO_PLAY", 1),
            new SignalCount(midnight, midnight + 60_000, midnight + 1, "Asia/Shanghai", "7", "u1", "2", "AUDIO_PLAY", 2),
            new SignalCount(midnight, midnight + 60_000, midnight + 59_999, "Asia/Shanghai", "7", "u2", "2", "AUDIO_PLAY", 1)),
        r.rows);
    assertEquals("2024-03-20 23:59:00", r.rows.get(0).startTime());
    assertEquals("2024-03-21 00:00:00", r.rows.get(0).endTime());
  }
}
