package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.Message;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Generated {@code agora_record} input for C5's property tests: students and others in a few
 * channels around midnight, times on window edges and a millisecond either side, audio and video
 * measures that are missing, {@code -1} or blank states, states given as JSON strings, missing key
 * fields, duplicates, disorder of up to twice the watermark bound plus the lateness, and bad
 * messages.
 */
public final class AvMessages {
  private AvMessages() {}

  public static List<QosStamps.Arrival> generate(long seed, int count, long boundMillis, long latenessMillis, ZoneId zone) {
    Random r = new Random(seed);
    long base = LocalDateTime.parse("2024-03-20T23:57:00").atZone(zone).toInstant().toEpochMilli();
    record Timed(long arrival, QosStamps.Arrival a) {}
    List<Timed> out = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < count; i++) {
      long t;
      if (r.nextInt(3) == 0) {
        t = base + 30_000L * r.nextInt(12) + (r.nextInt(3) - 1); // a window edge, ±1 ms
      } else {
        t = base + r.nextInt(360_000);
      }
      long arrival = t + (long) (r.nextDouble() * (2 * boundMillis + latenessMillis));
      if (r.nextInt(30) == 0) {
        out.add(new Timed(arrival, new QosStamps.Arrival(new Message(null, bad(r, t), "agora_record-0@" + n++), null)));
        continue;
      }
      String json = agora(r, t);
      out.add(new Timed(arrival, new QosStamps.Arrival(new Message(null, json, "agora_record-0@" + n++), t)));
      if (r.nextInt(15) == 0) {
        out.add(new Timed(arrival + r.nextInt(2000), new QosStamps.Arrival(new Message(null, json, "agora_record-0@" + n++), t)));
      }
    }
    out.sort(Comparator.comparingLong(Timed::arrival));
    List<QosStamps.Arrival> arrivals = new ArrayList<>();
    for (Timed t : out) {
      arrivals.add(t.a());
    }
    return arrivals;
  }

  private static String state(Random r, String measure) {
    int kind = r.nextInt(10);
    if (kind == 0) {
      return null;
    }
    if (kind == 1) {
      return "\" \"";
    }
    String value = kind == 2 ? "-1" : kind == 3 ? "\"-1\"" : r.nextBoolean() ? Integer.toString(r.nextInt(30)) : QosStamps.q(Integer.toString(r.nextInt(30)));
    String uid = r.nextInt(8) == 0 ? "" : ",\"uid\":" + (1000 + r.nextInt(3));
    String body = "{" + (r.nextInt(10) == 0 ? "" : "\"" + measure + "\":" + value) + uid + "}";
    body = body.replace("{,", "{");
    return r.nextInt(3) == 0 ? QosStamps.q(body) : body;
  }

  private static String agora(Random r, long t) {
    StringBuilder sb = new StringBuilder("{");
    int type = r.nextInt(10);
    sb.append("\"user_type\":").append(type < 6 ? "\"student\"" : type < 8 ? "\" Student \"" : type == 8 ? "\"teacher\"" : "null");
    if (r.nextInt(10) != 0) {
      sb.append(",\"user_id\":").append(r.nextBoolean() ? "" + (1 + r.nextInt(6)) : "\"" + (1 + r.nextInt(6)) + "\"");
    }
    if (r.nextInt(10) != 0) {
      sb.append(",\"Agora_Channel_Id\":").append(500 + r.nextInt(2));
    }
    if (r.nextInt(10) != 0) {
      sb.append(",\"classroom_id\":\"cls-").append(r.nextInt(2)).append('"');
    }
    if (r.nextInt(10) != 0) {
      sb.append(",\"event\":\"").append(r.nextBoolean() ? "EVENT" : "RTC").append('"');
    }
    String audio = state(r, "lost");
    if (audio != null) {
      sb.append(",\"agora_audioState\":").append(audio);
    }
    String video = state(r, "fr");
    if (video != null) {
      sb.append(",\"agora_videoState\":").append(video);
    }
    sb.append(",\"messageCreateTime\":").append(r.nextBoolean() ? Long.toString(t) : "\"" + t + "\"");
    return sb.append('}').toString();
  }

  private static String bad(Random r, long t) {
    switch (r.nextInt(5)) {
      case 0:
        return "{\"user_type\":\"student\"";
      case 1:
        return "{\"user_type\":\"student\",\"agora_audioState\":{\"lost\":1}}";
      case 2:
        return "{\"user_type\":\"student\",\"user_id\":\"x1\",\"messageCreateTime\":" + t + "}";
      case 3:
        return "{\"user_type\":\"student\",\"agora_audioState\":{\"lost\":\"many\"},\"messageCreateTime\":" + t + "}";
      default:
        return "{\"user_type\":\"student\",\"agora_videoState\":5,\"messageCreateTime\":" + t + "}";
    }
  }
}
