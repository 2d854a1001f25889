package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.RegistrationFilter;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.reference.ConsultantModel;
import dev.stallwatch.classroom.reference.RegistrationModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * Test input of C6 ({@link Registrations}) and C7 ({@link ConsultantOrders}): a union of C6's three
 * topics ({@link AccountRow}) so that one {@code TestStream} can order rows of all three, seeded
 * generators of rows for the property tests, and the property check against the plain-Java models.
 *
 * <p>Generated rows are in the order their topics sent them: each topic numbers its rows ({@code
 * arrival}, as a Kafka offset), so one id's rows have distinct arrivals growing in send order; an
 * exact duplicate (a replay) repeats an earlier row with its arrival. The tests then shuffle them,
 * which changes only the order of processing. Ids are prefixed {@code s<seed>}; C6's groups carry
 * no id, so each seed registers its students on its own day ({@link #seedDay}), and C7's groups
 * start with the seed's consultant prefix ({@link #ccPrefix}). C7's seeds all share two days, so
 * that in streaming the watermark never passes an order's expiry (a week after its day).
 */
final class OperationRows {
  private OperationRows() {}

  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final RegistrationFilter FILTER = RegistrationFilter.defaults();

  /** Epoch ms of a local time in {@link #ZONE}, {@code 2024-03-20T09:15:00}. */
  static long at(String local) {
    return LocalDateTime.parse(local).atZone(ZONE).toInstant().toEpochMilli();
  }

  // ---------------------------------------------------------------- the union of C6's topics

  /** One row of one of C6's topics, and the event time it is stamped with. */
  record AccountRow(StudentRow student, UserRow user, LevelEntry level, long stamp) implements Serializable {
    static AccountRow of(StudentRow s) {
      return new AccountRow(s, null, null, s.updateTime());
    }

    /** A user row, stamped with its update time, or with {@code sentAt} when it has none. */
    static AccountRow of(UserRow u, long sentAt) {
      return new AccountRow(null, u, null, u.updateTime() == null ? sentAt : u.updateTime());
    }

    static AccountRow of(LevelEntry e) {
      return new AccountRow(null, null, e, e.updateTime());
    }
  }

  /** Coder of {@link AccountRow}: a tag, the row by its own coder, the stamp. */
  static final class AccountRowCoder extends AtomicCoder<AccountRow> {
    static final AccountRowCoder INSTANCE = new AccountRowCoder();

    @Override
    public void encode(AccountRow r, OutputStream out) throws IOException {
      if (r.student() != null) {
        out.write(0);
        StudentRow.StudentRowCoder.of().encode(r.student(), out);
      } else if (r.user() != null) {
        out.write(1);
        UserRow.UserRowCoder.of().encode(r.user(), out);
      } else {
        out.write(2);
        LevelEntry.LevelEntryCoder.of().encode(r.level(), out);
      }
      VarLongCoder.of().encode(r.stamp(), out);
    }

    @Override
    public AccountRow decode(InputStream in) throws IOException {
      int tag = in.read();
      StudentRow s = tag == 0 ? StudentRow.StudentRowCoder.of().decode(in) : null;
      UserRow u = tag == 1 ? UserRow.UserRowCoder.of().decode(in) : null;
      LevelEntry l = tag == 2 ? LevelEntry.LevelEntryCoder.of().decode(in) : null;
      return new AccountRow(s, u, l, VarLongCoder.of().decode(in));
    }
  }

  /** The union split into {@link Registrations}' tagged input. */
  static PCollectionTuple split(PCollection<AccountRow> rows) {
    PCollection<StudentRow> students =
        rows.apply(
                "Students",
                FlatMapElements.into(TypeDescriptor.of(StudentRow.class))
                    .via((AccountRow r) -> r.student() == null ? List.<StudentRow>of() : List.of(r.student())))
            .setCoder(StudentRow.StudentRowCoder.of());
    PCollection<UserRow> users =
        rows.apply(
                "Users",
                FlatMapElements.into(TypeDescriptor.of(UserRow.class))
                    .via((AccountRow r) -> r.user() == null ? List.<UserRow>of() : List.of(r.user())))
            .setCoder(UserRow.UserRowCoder.of());
    PCollection<LevelEntry> levels =
        rows.apply(
                "Levels",
                FlatMapElements.into(TypeDescriptor.of(LevelEntry.class))
                    .via((AccountRow r) -> r.level() == null ? List.<LevelEntry>of() : List.of(r.level())))
            .setCoder(LevelEntry.LevelEntryCoder.of());
    return PCollectionTuple.of(Registrations.STUDENTS, students).and(Registrations.USERS, users).and(Registrations.LEVELS, levels);
  }

  /** C6's model over the union's rows. */
  static Map<String, Long> registrationModel(List<AccountRow> rows) {
    List<StudentRow> s = new ArrayList<>();
    List<UserRow> u = new ArrayList<>();
    List<LevelEntry> l = new ArrayList<>();
    for (AccountRow r : rows) {
      if (r.student() != null) {
        s.add(r.student());
      } else if (r.user() != null) {
        u.add(r.user());
      } else {
        l.add(r.level());
      }
    }
    return RegistrationModel.leads(s, u, l, FILTER, ZONE);
  }

  // ---------------------------------------------------------------- batch and streaming input

  /** {@code rows} in a shuffled order of {@code seed}, each stamped, in batch. */
  static <T> PCollection<T> batch(Pipeline p, String name, List<T> rows, java.util.function.ToLongFunction<T> stamp, Coder<T> coder, long seed) {
    List<T> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(seed));
    List<TimestampedValue<T>> stamped = new ArrayList<>();
    for (T r : shuffled) {
      stamped.add(TimestampedValue.of(r, new Instant(stamp.applyAsLong(r))));
    }
    return p.apply(name, Create.timestamped(stamped).withCoder(coder));
  }

  /**
   * {@code rows} in a shuffled order of {@code seed}, each stamped, in batches of random size with
   * the watermark moved (forward only) after a batch to the stamp of one of its rows: later batches
   * then hold rows behind the watermark, as a source with disorder sends them.
   */
  static <T> TestStream<T> stream(List<T> rows, java.util.function.ToLongFunction<T> stamp, Coder<T> coder, long seed) {
    List<T> shuffled = new ArrayList<>(rows);
    Random random = new Random(seed);
    Collections.shuffle(shuffled, random);
    TestStream.Builder<T> stream = TestStream.create(coder);
    long watermark = Long.MIN_VALUE;
    int from = 0;
    while (from < shuffled.size()) {
      int to = Math.min(shuffled.size(), from + 1 + random.nextInt(60));
      List<T> batch = shuffled.subList(from, to);
      @SuppressWarnings("unchecked")
      TimestampedValue<T>[] values = new TimestampedValue[batch.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = TimestampedValue.of(batch.get(i), new Instant(stamp.applyAsLong(batch.get(i))));
      }
      stream = stream.addElements(values[0], Arrays.copyOfRange(values, 1, values.length));
      long mark = stamp.applyAsLong(batch.get(random.nextInt(batch.size())));
      if (mark > watermark && random.nextInt(3) > 0) {
        watermark = mark;
        stream = stream.advanceWatermarkTo(new Instant(watermark));
      }
      from = to;
    }
    return stream.advanceWatermarkToInfinity();
  }


  /**
   * The direct runner without its per-element immutability and encodability checks: they clone and
   * encode every element of every stage and dominate these pipelines' time; the hand-written tests
   * keep them on.
   */
  static void fast(org.apache.beam.sdk.testing.TestPipeline pipeline) {
    org.apache.beam.runners.direct.DirectOptions options = pipeline.getOptions().as(org.apache.beam.runners.direct.DirectOptions.class);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
  }

  // ---------------------------------------------------------------- the property

  /** Each group's count at its highest revision. */
  static Map<String, Long> finals(Iterable<GroupCount> output) {
    Map<String, GroupCount> last = new TreeMap<>();
    for (GroupCount c : output) {
      GroupCount kept = last.get(c.group());
      if (kept == null || c.revision() > kept.revision()) {
        last.put(c.group(), c);
      }
    }
    Map<String, Long> counts = new TreeMap<>();
    last.forEach((g, c) -> counts.put(g, c.count()));
    return counts;
  }

  /**
   * What is wrong with {@code output} (only its groups that {@code mine} accepts) as the counts
   * {@code expected}: a group's row of the highest revision must have the expected count (0 when
   * absent), revisions must be 1..n each once, and every expected group must be there.
   */
  static List<String> violations(Map<String, Long> expected, Iterable<GroupCount> output, Predicate<String> mine) {
    Map<String, List<GroupCount>> byGroup = new TreeMap<>();
    for (GroupCount c : output) {
      if (mine.test(c.group())) {
        byGroup.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
      }
    }
    List<String> faults = new ArrayList<>();
    for (Map.Entry<String, List<GroupCount>> e : byGroup.entrySet()) {
      TreeSet<Long> revisions = new TreeSet<>();
      GroupCount last = e.getValue().get(0);
      for (GroupCount c : e.getValue()) {
        revisions.add(c.revision());
        if (c.revision() > last.revision()) {
          last = c;
        }
      }
      int n = e.getValue().size();
      if (revisions.size() != n || revisions.first() != 1 || revisions.last() != n) {
        faults.add(e.getKey() + ": revisions are not 1.." + n + " each once: " + revisions);
      }
      long want = expected.getOrDefault(e.getKey(), 0L);
      if (last.count() != want) {
        faults.add(e.getKey() + ": ends at " + last.count() + " (revision " + last.revision() + "), the model counts " + want);
      }
    }
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      if (e.getValue() > 0 && !byGroup.containsKey(e.getKey())) {
        faults.add(e.getKey() + ": the model counts " + e.getValue() + ", the output has no row");
      }
    }
    return faults;
  }

  // ---------------------------------------------------------------- C6's generator

  /** The local day seed {@code seed}'s students register on: 2024-04-01 plus {@code seed} days. */
  static LocalDate seedDay(long seed) {
    return LocalDate.of(2024, 4, 1).plusDays(seed);
  }

  /** The prefix {@code yyyyMMdd} of the groups of seed {@code seed}. */
  static String hourPrefix(long seed) {
    return seedDay(seed).toString().replace("-", "");
  }

  private static final String[] LEVELS = {"A", "B", "C", "D", "e", " b ", "AA", null, "d", "other"};
  private static final String[] NAMES = {"张三", "李四", "Alice", "王五", "Bob", null, "小明测试", "MyTest01", "DM__bot", "dm__x"};
  private static final String[] STATUSES = {"NORMAL", "NORMAL", "normal", " NORMAL ", "NORMAL", "LOCKED", "DELETED", null};

  /** Channels per seed: channel 7 never gets a dictionary row (its students are {@code other}). */
  static final int CHANNELS = 8;

  static final int STUDENTS = 40;

  /**
   * About {@code rows} rows of C6's three topics for seed {@code seed}, in send order: 40 students,
   * 8 channels. Mixes new rows, newer rows with the same content, older update times sent later,
   * exact duplicates (replays, same arrival), equal update times with a later arrival, level changes
   * between buckets, user rows without update time (latest by arrival) and some with one, test
   * accounts, statuses other than NORMAL, students without a user row and users without a student
   * row.
   */
  static List<AccountRow> registrations(long seed, int rows) {
    Random random = new Random(seed * 7919 + 13);
    String prefix = "s" + seed;
    long clock = seedDay(seed).atStartOfDay(ZONE).toInstant().toEpochMilli() + 6 * 3_600_000L;
    long[] arrivals = {seed * 100_000, seed * 100_000, seed * 100_000};
    Map<String, List<StudentRow>> students = new HashMap<>();
    Map<String, List<UserRow>> users = new HashMap<>();
    Map<String, List<LevelEntry>> levels = new HashMap<>();
    Map<String, Boolean> timedUser = new HashMap<>();
    Map<String, Long> registered = new HashMap<>();
    List<AccountRow> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      clock += 1000 + random.nextInt(2000);
      int topic = random.nextInt(10);
      int kind = random.nextInt(100);
      if (topic < 2) {
        String id = prefix + "c" + random.nextInt(CHANNELS - 1);
        List<LevelEntry> seen = levels.computeIfAbsent(id, k -> new ArrayList<>());
        LevelEntry last = newest(seen, LevelEntry::compare);
        String level = LEVELS[random.nextInt(LEVELS.length)];
        long arrival = ++arrivals[2];
        LevelEntry e;
        if (last == null || kind < 40) {
          e = LevelEntry.of(id, "频道" + id, "channel " + id, level, null, null, clock, null, arrival);
        } else if (kind < 50) {
          e = LevelEntry.of(id, "频道" + id, "channel " + id, last.level(), null, null, clock, null, arrival);
        } else if (kind < 70) {
          e = LevelEntry.of(id, "频道" + id, "channel " + id, level, null, null, last.updateTime() - 1000 * (1 + random.nextInt(5)), null, arrival);
        } else if (kind < 85) {
          e = seen.get(random.nextInt(seen.size()));
        } else {
          e = LevelEntry.of(id, "频道" + id, "channel " + id, level, null, null, seen.get(random.nextInt(seen.size())).updateTime(), null, arrival);
        }
        if (e.arrival() != arrival) {
          arrivals[2]--; // a replay takes no new offset
        }
        seen.add(e);
        out.add(AccountRow.of(e));
      } else if (topic < 6) {
        String id = prefix + "u" + random.nextInt(STUDENTS);
        List<StudentRow> seen = students.computeIfAbsent(id, k -> new ArrayList<>());
        StudentRow last = newest(seen, StudentRow::compare);
        String channel = channel(random, prefix);
        long arrival = ++arrivals[0];
        StudentRow s;
        if (last == null || kind < 40) {
          s = new StudentRow(id, channel, clock, arrival);
        } else if (kind < 50) {
          s = new StudentRow(id, last.channelId(), clock, arrival);
        } else if (kind < 70) {
          s = new StudentRow(id, channel, last.updateTime() - 1000 * (1 + random.nextInt(5)), arrival);
        } else if (kind < 85) {
          s = seen.get(random.nextInt(seen.size()));
        } else {
          s = new StudentRow(id, channel, seen.get(random.nextInt(seen.size())).updateTime(), arrival);
        }
        if (s.arrival() != arrival) {
          arrivals[0]--;
        }
        seen.add(s);
        out.add(AccountRow.of(s));
      } else {
        String id = prefix + "u" + (2 + random.nextInt(STUDENTS + 2));
        List<UserRow> seen = users.computeIfAbsent(id, k -> new ArrayList<>());
        boolean timed = timedUser.computeIfAbsent(id, k -> random.nextInt(4) == 0);
        UserRow last = newest(seen, UserRow::compare);
        long register = registered.computeIfAbsent(id, k -> registerTime(random, seed));
        if (random.nextInt(8) == 0) {
          register = registerTime(random, seed); // the registration time corrected: another hour
        }
        Long registerTime = random.nextInt(40) == 0 ? null : register;
        String name = NAMES[random.nextInt(NAMES.length)];
        String status = STATUSES[random.nextInt(STATUSES.length)];
        long arrival = ++arrivals[1];
        UserRow u;
        if (last == null || kind < 40) {
          u = new UserRow(id, name, registerTime, status, timed ? clock : null, arrival);
        } else if (kind < 50) {
          u = new UserRow(id, last.name(), last.registerTime(), last.status(), timed ? Long.valueOf(clock) : null, arrival);
        } else if (kind < 70 && timed) {
          u = new UserRow(id, name, registerTime, status, last.updateTime() == null ? clock : last.updateTime() - 1000 * (1 + random.nextInt(5)), arrival);
        } else if (kind < 85) {
          u = seen.get(random.nextInt(seen.size()));
        } else {
          Long time = seen.get(random.nextInt(seen.size())).updateTime();
          u = new UserRow(id, name, registerTime, status, time, arrival);
        }
        if (u.arrival() != arrival) {
          arrivals[1]--;
        }
        seen.add(u);
        out.add(AccountRow.of(u, clock));
      }
    }
    return out;
  }

  private static String channel(Random random, String prefix) {
    int r = random.nextInt(20);
    if (r == 0) {
      return null;
    }
    if (r == 1) {
      return " ";
    }
    return prefix + "c" + random.nextInt(CHANNELS);
  }

  /** A registration time on the seed's day, 08:00 to 11:59 local. */
  private static long registerTime(Random random, long seed) {
    return seedDay(seed).atTime(8, 0).atZone(ZONE).toInstant().toEpochMilli() + random.nextInt(4 * 3600) * 1000L;
  }

  private static <T> T newest(List<T> seen, java.util.Comparator<T> order) {
    T best = null;
    for (T t : seen) {
      if (best == null || order.compare(t, best) > 0) {
        best = t;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- C7's generator

  /** The prefix of seed {@code seed}'s consultants, so of its groups. */
  static String ccPrefix(long seed) {
    return "s" + seed + "cc";
  }

  /** The statuses of generated orders: mostly confirmed (3), some cancelled (5) or other. */
  private static final Integer[] ORDER_STATUSES = {3, 3, 3, 5, 2, 4, null};

  /**
   * About {@code rows} rows of {@code data_pack_order_info} for seed {@code seed}, in send order: 30
   * orders, 5 consultants, confirmations on 2024-03-20 and 2024-03-21 local, some in the hours where
   * the local day and the UTC day differ. The kinds of rows as in {@link #registrations}.
   */
  static List<OrderRow> orders(long seed, int rows) {
    Random random = new Random(seed * 104_729 + 7);
    String prefix = "s" + seed;
    long clock = at("2024-03-20T00:00:00") + random.nextInt(3_600_000);
    long arrival = seed * 100_000;
    Map<String, List<OrderRow>> history = new HashMap<>();
    List<OrderRow> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      clock += 60_000 + random.nextInt(240_000);
      String id = prefix + "o" + random.nextInt(30);
      List<OrderRow> seen = history.computeIfAbsent(id, k -> new ArrayList<>());
      OrderRow last = newest(seen, OrderRow::compare);
      int kind = random.nextInt(100);
      String cc = random.nextInt(25) == 0 ? null : ccPrefix(seed) + random.nextInt(5);
      Integer status = ORDER_STATUSES[random.nextInt(ORDER_STATUSES.length)];
      Long confirm = random.nextInt(6) == 0 ? null : at("2024-03-20T00:00:00") + random.nextInt(48) * 3_600_000L + random.nextInt(3_600_000);
      Long canceled = status != null && status == 5 ? clock : null;
      OrderRow o;
      arrival++;
      if (last == null || kind < 40) {
        o = new OrderRow(id, cc, "st" + id, "ord" + id, confirm, canceled, status, clock, arrival);
      } else if (kind < 50) {
        o = new OrderRow(id, last.ccId(), last.studentId(), last.orderId(), last.confirmTime(), last.canceledTime(), last.status(), clock, arrival);
      } else if (kind < 70) {
        o = new OrderRow(id, cc, "st" + id, "ord" + id, confirm, canceled, status, last.updateTime() - 1000 * (1 + random.nextInt(600)), arrival);
      } else if (kind < 85) {
        o = seen.get(random.nextInt(seen.size()));
        arrival--;
      } else {
        o = new OrderRow(id, cc, "st" + id, "ord" + id, confirm, canceled, status, seen.get(random.nextInt(seen.size())).updateTime(), arrival);
      }
      seen.add(o);
      out.add(o);
    }
    return out;
  }

  static Map<String, Long> consultantModel(List<OrderRow> rows) {
    return ConsultantModel.confirmations(rows, ZONE);
  }
}
