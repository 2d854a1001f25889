package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.parse.SignalParser;
import dev.stallwatch.domain.BadRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLASSROOM.md C1 and C3 in plain, single-threaded Java, kept apart from the Beam transforms so
 * the tests can hold {@code CleanSignals} and {@code ClassroomPerformance} to it (as Nexmark pairs
 * each query with a model, and as {@code ReferenceModel} serves the stall job). Each message is read
 * with {@link SignalParser}, whose cases its own tests pin; everything after reading — the late
 * rule, the minutes, the keys, duplicates counted once, {@code create_time} — is written here again
 * from the contract's sentences.
 *
 * <p>It reads a whole finite input, each message with the stamp its source gave it, and answers
 * what the job's outputs hold at its end: C1's signals and dead letters, how many messages were
 * ignored, and C3's rows as the upsert table holds them after every pane (one per upsert key, the
 * final count).
 */
public final class SignalModel {
  private final SignalsConfig config;

  private SignalModel(SignalsConfig config) {
    this.config = config;
  }

  public static SignalModel of(SignalsConfig config) {
    return new SignalModel(config);
  }

  /** A message and the time its source stamped it with (epoch ms). */
  public record Arrival(Message message, long stampMillis) {}

  /** What a run gives. */
  public static final class Result {
    /** C1's output, in input order. */
    public final List<Signal> signals = new ArrayList<>();
    /** C1's dead letters, late ones included, in input order. */
    public final List<BadRecord> deadLetters = new ArrayList<>();
    /** C3's table at the end, ordered by start, room, user, role, event. */
    public final List<SignalCount> rows = new ArrayList<>();
    public long read;
    public long ignored;
    public long bad;
    public long late;
  }

  public Result run(List<Arrival> arrivals) {
    Result result = new Result();
    SignalParser parser = new SignalParser(config.rules(), config.zone());
    for (Arrival a : arrivals) {
      if (dev.stallwatch.text.Text.isBlank(a.message().value())) {
        continue; // not a message: counted nowhere, as by C4 and C5
      }
      result.read++;
      SignalParser.Outcome outcome = parser.parse(a.message());
      if (outcome instanceof SignalParser.Ignored) {
        result.ignored++;
      } else if (outcome instanceof SignalParser.Dead dead) {
        result.bad++;
        result.deadLetters.add(BadRecord.of(a.message().value(), a.message().origin(), dead.reason()));
      } else {
        Signal s = ((SignalParser.Parsed) outcome).signal();
        // C3: the source stamps a record too late for its window with its watermark, which is
        // after the record's event time; such a message is a dead letter 'late'.
        if (a.stampMillis() > s.timeStamp()) {
          result.late++;
          result.deadLetters.add(
              BadRecord.of(
                  a.message().value(),
                  a.message().origin(),
                  "late: event time "
                      + SignalsConfig.shownTime(s.timeStamp(), config.zone())
                      + " is before "
                      + SignalsConfig.shownTime(a.stampMillis(), config.zone())
                      + ", the time its source gave the message"));
        } else {
          result.signals.add(s);
        }
      }
    }
    result.rows.addAll(count(result.signals));
    return result;
  }

  /** C3 over signals that all count: one row per minute and key, each distinct signal once. */
  public List<SignalCount> count(List<Signal> signals) {
    final long minute = 60_000L;
    Map<List<Object>, Set<List<Object>>> distinct = new LinkedHashMap<>();
    Map<List<Object>, Long> latest = new LinkedHashMap<>();
    for (Signal s : signals) {
      long start = Math.floorDiv(s.timeStamp(), minute) * minute;
      List<Object> row = List.of(start, s.roomId(), s.userId(), s.role(), s.event());
      List<Object> same =
          List.of(
              s.messageCreateTime(),
              s.timeStamp(),
              s.userId(),
              s.roomId(),
              s.role(),
              s.msgId(),
              s.msgType(),
              s.targetId(),
              s.targetType(),
              s.action(),
              s.subAction(),
              s.pageIndex(),
              s.event());
      distinct.computeIfAbsent(row, k -> new HashSet<>()).add(same);
      latest.merge(row, s.timeStamp(), Math::max);
    }
    List<SignalCount> rows = new ArrayList<>();
    for (Map.Entry<List<Object>, Set<List<Object>>> e : distinct.entrySet()) {
      List<Object> k = e.getKey();
      long start = (Long) k.get(0);
      rows.add(
          new SignalCount(
              start,
              start + minute,
              latest.get(k),
              config.zoneId(),
              (String) k.get(1),
              (String) k.get(2),
              (String) k.get(3),
              (String) k.get(4),
              e.getValue().size()));
    }
    rows.sort(ORDER);
    return rows;
  }

  /** Rows by start, room, user, role, event. */
  public static final Comparator<SignalCount> ORDER =
      Comparator.comparingLong(SignalCount::startMillis)
          .thenComparing(SignalCount::webserverId)
          .thenComparing(SignalCount::userId)
          .thenComparing(SignalCount::role)
          .thenComparing(SignalCount::event);
}
