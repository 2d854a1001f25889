package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.reference.SignalModel.Arrival;
import dev.stallwatch.text.JsonWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generated {@code timeline_client_topic} traffic for property tests, in arrival order, each
 * message with the stamp a streaming source would give it: student signals of a few users in a few
 * rooms around local midnight, out of order within the watermark bound and beyond it, some exactly
 * at a minute's edge or 1 ms either side, some far too late; messages sent twice; other client
 * messages; broken ones. Nested objects come as objects or as JSON strings, names in any case,
 * numbers as numbers or as text, times as epoch ms or local text.
 *
 * <p>The stamps follow the source's convention (as the stall job's {@code EventTimePolicy}): the
 * watermark trails the latest event time seen by {@code bound}; a record is stamped with its event
 * time unless its window's last millisecond plus {@code lateness} is before the watermark (then it
 * is too late: stamped with the watermark), or its time cannot be read (stamped with the
 * watermark). This is written here again, apart from the code under test.
 */
final class SignalTraffic {
  /** Arrivals that reach the source together, and the watermark it reports after them. */
  record Step(List<Arrival> arrivals, long watermark) {}

  private static final String[] EVENTS_CELLS = {
    // target_id, target_type, action, sub_action; "*" = anything
    "*|shape|move|*",
    "*|shape|mouse|over",
    "*|shape|add|*",
    "*|template|audio|start",
    "*|template|audio|pause",
    "match|template|match|drop:wrong",
    "match|template|match|drop:correct",
  };

  private final Random rng;
  private final ZoneId zone;
  private final long bound;
  private final long lateness;
  private final List<Step> steps = new ArrayList<>();
  private final List<Arrival> arrivals = new ArrayList<>();
  private final List<String[]> sent = new ArrayList<>(); // {key, value}
  private final Map<String, Long> times = new HashMap<>();
  private long clock;
  private long maxEvent = Long.MIN_VALUE;
  private long watermark = Long.MIN_VALUE;
  private int offset;

  private SignalTraffic(long seed, ZoneId zone, long boundMillis, long latenessMillis) {
    this.rng = new Random(seed);
    this.zone = zone;
    this.bound = boundMillis;
    this.lateness = latenessMillis;
    this.clock = LocalDateTime.of(2024, 3, 20, 23, 57, 30).atZone(zone).toInstant().toEpochMilli();
  }

  static SignalTraffic generate(long seed, ZoneId zone, long boundMillis, long latenessMillis, int messages) {
    SignalTraffic t = new SignalTraffic(seed, zone, boundMillis, latenessMillis);
    t.run(messages);
    return t;
  }

  List<Arrival> arrivals() {
    return arrivals;
  }

  List<Step> steps() {
    return steps;
  }

  private void run(int messages) {
    List<Arrival> chunk = new ArrayList<>();
    int chunkSize = 1 + rng.nextInt(10);
    for (int i = 0; i < messages; i++) {
      clock += rng.nextInt(700);
      int roll = rng.nextInt(100);
      if (roll < 8 && !sent.isEmpty()) {
        // the same message again: a producer's retry, at once or much later
        String[] again = roll < 4 ? sent.get(sent.size() - 1) : sent.get(rng.nextInt(sent.size()));
        chunk.add(arrive(again[0], again[1], readTime(again[1])));
      } else if (roll < 70) {
        long t = signalTime();
        chunk.add(arrive(someKey(), signal(t), t));
      } else if (roll < 85) {
        long t = clock - rng.nextInt(3000);
        chunk.add(arrive(someKey(), otherMessage(t), t));
      } else {
        chunk.add(arrive(someKey(), broken(clock - rng.nextInt(3000)), null));
      }
      if (chunk.size() >= chunkSize || i == messages - 1) {
        steps.add(new Step(List.copyOf(chunk), watermark));
        chunk.clear();
        chunkSize = 1 + rng.nextInt(10);
      }
    }
  }

  /** The source: moves its watermark, then stamps the record. */
  private Arrival arrive(String key, String value, Long eventTime) {
    sent.add(new String[] {key, value});
    long stamp;
    if (eventTime == null) {
      stamp = watermark == Long.MIN_VALUE ? clock - bound : watermark;
    } else {
      if (eventTime > maxEvent) {
        maxEvent = eventTime;
        watermark = Math.max(watermark, maxEvent - bound);
      }
      long lastOfWindow = Math.floorDiv(eventTime, 60_000L) * 60_000L + 59_999L;
      stamp = lastOfWindow + lateness < watermark ? watermark : eventTime;
    }
    Arrival a = new Arrival(new Message(key, value, "timeline_client_topic-0@" + offset++), stamp);
    arrivals.add(a);
    return a;
  }

  /** The event time a signal this generator made was written with, or null for other messages. */
  private Long readTime(String value) {
    return times.get(value);
  }

  private long signalTime() {
    int roll = rng.nextInt(100);
    if (roll < 55) {
      return clock - rng.nextInt(4000); // out of order within the bound
    }
    if (roll < 75) {
      long edge = Math.floorDiv(clock, 60_000L) * 60_000L - (rng.nextBoolean() ? 0 : 60_000L);
      return edge + rng.nextInt(3) - 1; // a minute's edge, or 1 ms either side
    }
    if (roll < 92) {
      return clock - 5_000 - rng.nextInt(60_000); // behind the watermark: late, maybe allowed
    }
    return clock - 60_000 - rng.nextInt(180_000); // far too late
  }

  private String someKey() {
    int r = rng.nextInt(5);
    return r == 0 ? null : "k" + r;
  }

  private String name(String n) {
    switch (rng.nextInt(6)) {
      case 0:
        return n.toUpperCase(Locale.ROOT);
      case 1:
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
      default:
        return n;
    }
  }

  private Object number(long n) {
    int r = rng.nextInt(4);
    return r == 0 ? (Object) (" " + n + " ") : r == 1 ? (Object) Long.toString(n) : (Object) n;
  }

  private Object time(long t) {
    switch (rng.nextInt(4)) {
      case 0:
        return Long.toString(t);
      case 1:
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(t), zone).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
      default:
        return t;
    }
  }

  /** A map to write as an object or as a string holding it. */
  private Object nested(Map<String, Object> m) {
    return rng.nextInt(3) == 0 ? new AsString(m) : m;
  }

  private record AsString(Map<String, Object> map) {}

  private Map<String, Object> msgData(String[] cells) {
    Map<String, Object> d = new LinkedHashMap<>();
    String[] names = {"target_id", "target_type", "action", "sub_action"};
    for (int i = 0; i < 4; i++) {
      String v = cells[i];
      if (v.equals("*")) {
        int r = rng.nextInt(3);
        if (r == 0) {
          continue; // missing
        }
        v = r == 1 ? "" : "x" + rng.nextInt(3);
      }
      d.put(name(names[i]), rng.nextInt(8) == 0 ? "  " + v + " " : v);
    }
    if (rng.nextBoolean()) {
      d.put(name("page_index"), number(rng.nextInt(20)));
    }
    return d;
  }

  private String signal(long t) {
    String[] cells = EVENTS_CELLS[rng.nextInt(EVENTS_CELLS.length)].split("\\|", -1);
    String value = envelope(t, "u" + rng.nextInt(5), "r" + rng.nextInt(3), 2, 305, 116, msgData(cells), time(t));
    times.put(value, t);
    return value;
  }

  private String envelope(
      long t, String user, String room, long role, long msgid, long msgtype, Map<String, Object> msgData, Object time) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put(name("msgtype"), number(msgtype));
    if (msgData != null) {
      msg.put(name("msg_data"), nested(msgData));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (user != null) {
      data.put(name("userid"), user);
    }
    if (room != null) {
      data.put(name("roomId"), room);
    }
    if (time != null) {
      data.put(name("timestamp"), time);
    }
    data.put(name("role"), number(role));
    data.put(name("msgid"), number(msgid));
    data.put(name("msg"), nested(msg));
    Map<String, Object> root = new LinkedHashMap<>();
    if (rng.nextInt(4) != 0) {
      root.put(name("createTime"), Long.toString(t + rng.nextInt(50)));
    }
    root.put(name("data"), nested(data));
    return json(root);
  }

  private String otherMessage(long t) {
    String value;
    switch (rng.nextInt(5)) {
      case 0:
        value = "{\"data\":{\"msgid\":" + (100 + rng.nextInt(100)) + ",\"text\":\"hello\"}}"; // chat: no time
        break;
      case 1:
        value = envelope(t, "u1", "r1", 1, 305, 116, msgData("*|shape|move|*".split("\\|")), time(t)); // teacher
        break;
      case 2:
        value = envelope(t, "u2", "r1", 2, 305, 117, msgData("*|shape|move|*".split("\\|")), time(t));
        break;
      case 3:
        value = envelope(t, "u3", "r2", 2, 305, 116, msgData("*|slide|move|*".split("\\|")), time(t)); // no rule
        break;
      default:
        value = envelope(t, "u4", "r2", 2, 305, 116, msgData("*|shape|mouse|out".split("\\|")), null); // no rule, no time
    }
    return value;
  }

  private String broken(long t) {
    String[] cells = EVENTS_CELLS[rng.nextInt(EVENTS_CELLS.length)].split("\\|", -1);
    switch (rng.nextInt(7)) {
      case 0:
        return "{\"data\":{\"msgid\":305";
      case 1:
        return envelope(t, "u1", "r1", 2, 305, 116, msgData(cells), null); // no timestamp
      case 2:
        return envelope(t, null, "r1", 2, 305, 116, msgData(cells), time(t)); // no userid
      case 3:
        return envelope(t, "u1", null, 2, 305, 116, msgData(cells), time(t)); // no roomId
      case 4:
        return "{\"data\":\"{not json\"}";
      case 5:
        return "[\"not\",\"an\",\"object\"]";
      default:
        return envelope(t, "u1", "r1", 2, 305, 116, msgData(cells), "soon"); // no usable time
    }
  }

  private static String json(Object v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb);
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(Object v, StringBuilder sb) {
    if (v instanceof AsString s) {
      JsonWriter.quote(json(s.map()), sb);
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        JsonWriter.quote(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof String s) {
      JsonWriter.quote(s, sb);
    } else {
      sb.append(v);
    }
  }
}
