package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.text.EventTimes;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Generated {@code qos_log} input for C4's property tests: users visiting classrooms around
 * midnight, visits separated by the idle time and a millisecond either side of it, successes among
 * the events (some at the visit's first time, some duplicated), disorder of up to twice the
 * watermark bound (so some records are late), nested objects given as JSON strings, numbers as text,
 * names in other cases, and bad messages of every kind.
 */
public final class CourseMessages {
  private CourseMessages() {}

  public static List<QosStamps.Arrival> generate(long seed, int users, long idleMillis, long boundMillis, ZoneId zone) {
    Random r = new Random(seed);
    long base = LocalDateTime.parse("2024-03-20T23:40:00").atZone(zone).toInstant().toEpochMilli();
    record Timed(long arrival, QosStamps.Arrival a) {}
    List<Timed> out = new ArrayList<>();
    int n = 0;
    for (int u = 1; u <= users; u++) {
      for (int c = 0; c < 2; c++) {
        if (r.nextInt(3) == 0) {
          continue;
        }
        String classroom = "room-" + (char) ('a' + c);
        long t = base + r.nextInt(3_600_000);
        int visits = 1 + r.nextInt(3);
        for (int v = 0; v < visits; v++) {
          int events = 1 + r.nextInt(7);
          for (int e = 0; e < events; e++) {
            boolean success = r.nextInt(10) < 3 || (e == 0 && r.nextInt(12) == 0);
            String sub = success ? (r.nextBoolean() ? "PPT_SUCCESS" : "ppt_success") : (r.nextBoolean() ? "PPT_PLAY" : "PPT_START");
            if (r.nextInt(15) == 0) {
              sub = null;
            }
            String json = qos(r, u, classroom, sub, t);
            long arrival = t + (long) (r.nextDouble() * 2 * boundMillis);
            out.add(new Timed(arrival, new QosStamps.Arrival(new Message(null, json, "qos_log-0@" + n++), t)));
            if (r.nextInt(12) == 0) { // an exact duplicate, later
              out.add(new Timed(arrival + r.nextInt(1000), new QosStamps.Arrival(new Message(null, json, "qos_log-0@" + n++), t)));
            }
            if (r.nextInt(30) == 0) {
              out.add(new Timed(arrival, new QosStamps.Arrival(new Message(null, bad(r, u, t), "qos_log-0@" + n++), null)));
            }
            if (r.nextInt(25) == 0) {
              out.add(new Timed(arrival, new QosStamps.Arrival(new Message(null, "  ", "qos_log-0@" + n++), null)));
            }
            // within a visit: small steps, sometimes a tie, sometimes just under the idle time
            int kind = r.nextInt(10);
            t += kind == 0 ? 0 : kind == 1 ? idleMillis - 1 : 1 + r.nextInt((int) Math.min(Integer.MAX_VALUE, idleMillis / 3));
          }
          int gap = r.nextInt(4);
          t += gap == 0 ? 0 : gap == 1 ? 1 : gap == 2 ? -1 : r.nextInt(1000);
          t += idleMillis;
        }
      }
    }
    out.sort(Comparator.comparingLong(Timed::arrival));
    List<QosStamps.Arrival> arrivals = new ArrayList<>();
    for (Timed t : out) {
      arrivals.add(t.a());
    }
    return arrivals;
  }

  private static String qos(Random r, int user, String classroom, String sub, long t) {
    String dataTime = r.nextBoolean() ? Long.toString(t) : QosStamps.q(Long.toString(t));
    String msg = "{\"pptIndex\":" + r.nextInt(30) + "}";
    String extraBody = "{\"data_time\":" + dataTime + ",\"msg\":" + (r.nextBoolean() ? msg : QosStamps.q(msg)) + "}";
    String extra = r.nextInt(3) == 0 ? QosStamps.q(extraBody) : extraBody;
    long eventTime = t - r.nextInt(3000);
    String eventTimeText =
        r.nextInt(4) == 0 ? QosStamps.q(EventTimes.dateTime(eventTime, ZoneId.of("Asia/Shanghai"))) : Long.toString(eventTime);
    String userId = r.nextBoolean() ? Integer.toString(user) : QosStamps.q(Integer.toString(user));
    String type = r.nextInt(5) == 0 ? "teacher" : "student";
    return "{" + (r.nextBoolean() ? "\"classroom_id\"" : "\"Classroom_ID\"") + ":" + QosStamps.q(" " + classroom)
        + ",\"user_type\":" + QosStamps.q(type)
        + ",\"user_id\":" + userId
        + ",\"event_time\":" + eventTimeText
        + (sub == null ? "" : ",\"sub_event\":" + QosStamps.q(sub))
        + ",\"extra\":" + extra
        + ",\"unknown\":[1,2]}";
  }

  private static String bad(Random r, int user, long t) {
    switch (r.nextInt(7)) {
      case 0:
        return "not json";
      case 1:
        return "[" + t + "]";
      case 2:
        return "{\"classroom_id\":\"room-a\",\"user_id\":" + user + ",\"event_time\":" + t + "}";
      case 3:
        return "{\"classroom_id\":\"room-a\",\"user_id\":" + user + ",\"event_time\":" + t + ",\"extra\":\"{\\\"msg\\\":{}}\"}";
      case 4:
        return "{\"classroom_id\":\"room-a\",\"user_id\":\"u" + user + "\",\"event_time\":" + t + ",\"extra\":{\"data_time\":" + t + "}}";
      case 5:
        return "{\"user_id\":" + user + ",\"event_time\":" + t + ",\"extra\":{\"data_time\":" + t + "}}";
      default:
        return "{\"classroom_id\":\"room-a\",\"user_id\":" + user + ",\"extra\":{\"data_time\":\"yesterday\"}}";
    }
  }
}
