package dev.stallwatch.classroom.counts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * The property of {@link RetractingCount}, for its tests here and for pipeline's (the test-jar):
 * seeded random update sequences, the input they make in batch and in streaming, and the check
 * against {@link RetractingCountModel}.
 *
 * <p>The property, for a list of updates in any order: (a) for every group the output has, its row
 * of the highest revision has the model's count (0 when the model has none), and its revisions are
 * 1..n, each once; (b) every group the model counts above 0 is in the output.
 *
 * <p>A sequence ({@link #generate}) mixes what the sources send: new states that flip between a
 * group and none (filtered out, deleted, cancelled), moves between groups, newer states with the
 * same group, older versions arriving after newer ones, exact duplicates (replays), and equal
 * versions with another arrival (the later arrival wins). Ids and groups are prefixed {@code
 * s<seed>/}, so the sequences of several seeds can share one pipeline and be checked apart ({@link
 * #ofSeed}). Versions are milliseconds from {@link #BASE}; each update is stamped with its version.
 * Nothing expires.
 *
 * <pre>{@code
 * List<CountUpdate> updates = CountUpdates.generate(7);
 * PCollection<GroupCount> out = CountUpdates.batchInput(pipeline, updates).apply(RetractingCount.create("t_"));
 * CountUpdates.assertProperty(out, updates);
 * pipeline.run().waitUntilFinish();
 *
 * // several seeds in one pipeline, checked one by one
 * List<Long> seeds = List.of(1L, 2L, 3L);
 * out = CountUpdates.batchInput(pipeline, CountUpdates.generateAll(seeds)).apply(RetractingCount.create("t_"));
 * // or: pipeline.apply(CountUpdates.stream(CountUpdates.generateAll(seeds), 42, 8)).apply(...)
 * CountUpdates.assertPropertyForSeeds(out, seeds);
 * }</pre>
 */
public final class CountUpdates {
  private CountUpdates() {}

  /** 2024-03-20T00:00:00Z: the first version. */
  public static final long BASE = 1_710_892_800_000L;

  /** The default sequence of {@code seed}: 30 ids, 6 groups, 300 updates. */
  public static List<CountUpdate> generate(long seed) {
    return generate(seed, 30, 6, 300);
  }

  /** A sequence of {@code updates} updates of {@code ids} ids over {@code groups} groups, in arrival order. */
  public static List<CountUpdate> generate(long seed, int ids, int groups, int updates) {
    Random random = new Random(seed);
    String prefix = prefix(seed);
    Map<String, List<CountUpdate>> history = new HashMap<>();
    List<CountUpdate> out = new ArrayList<>(updates);
    long arrival = seed * 1_000_000L;
    for (int i = 0; i < updates; i++) {
      String id = prefix + "id" + random.nextInt(ids);
      List<CountUpdate> seen = history.computeIfAbsent(id, k -> new ArrayList<>());
      arrival += 1 + random.nextInt(3);
      CountUpdate u;
      int kind = seen.isEmpty() ? 0 : random.nextInt(100);
      if (kind < 45) {
        // a new state: a status flip, a move, or a first state
        CountUpdate last = newest(seen);
        String group;
        if (last != null && last.group() != null && random.nextInt(3) == 0) {
          group = null;
        } else {
          group = random.nextInt(6) == 0 ? null : prefix + "g" + random.nextInt(groups);
        }
        long version = last == null ? BASE + random.nextInt(10) * 1000L : last.version() + (1 + random.nextInt(3)) * 1000L;
        u = CountUpdate.of(id, group, version, arrival);
      } else if (kind < 55) {
        // newer, same group
        CountUpdate last = newest(seen);
        u = CountUpdate.of(id, last.group(), last.version() + 1000L, arrival);
      } else if (kind < 70) {
        // an older version arriving now
        CountUpdate last = newest(seen);
        String group = random.nextInt(4) == 0 ? null : prefix + "g" + random.nextInt(groups);
        u = CountUpdate.of(id, group, last.version() - (1 + random.nextInt(3)) * 1000L, arrival);
      } else if (kind < 85) {
        // an exact duplicate of an earlier row
        u = seen.get(random.nextInt(seen.size()));
      } else {
        // the same version as an earlier row, another arrival: a row updated twice within a millisecond
        CountUpdate earlier = seen.get(random.nextInt(seen.size()));
        String group = random.nextInt(4) == 0 ? null : prefix + "g" + random.nextInt(groups);
        u = CountUpdate.of(id, group, earlier.version(), arrival);
      }
      seen.add(u);
      out.add(u);
    }
    return out;
  }

  private static CountUpdate newest(List<CountUpdate> seen) {
    CountUpdate best = null;
    for (CountUpdate u : seen) {
      if (best == null || u.version() > best.version() || (u.version() == best.version() && u.arrival() > best.arrival())) {
        best = u;
      }
    }
    return best;
  }

  /** The prefix of the ids and groups of {@code seed}'s sequence. */
  public static String prefix(long seed) {
    return "s" + seed + "/";
  }

  /** The sequences of several seeds, one after the other. */
  public static List<CountUpdate> generateAll(List<Long> seeds) {
    List<CountUpdate> all = new ArrayList<>();
    for (long seed : seeds) {
      all.addAll(generate(seed));
    }
    return all;
  }

  /** The rows of {@code seed}'s groups among {@code output}. */
  public static List<GroupCount> ofSeed(long seed, Iterable<GroupCount> output) {
    String prefix = prefix(seed);
    List<GroupCount> mine = new ArrayList<>();
    for (GroupCount c : output) {
      if (c.group().startsWith(prefix)) {
        mine.add(c);
      }
    }
    return mine;
  }

  /** The updates, each stamped with its version, in batch. */
  public static PCollection<CountUpdate> batchInput(Pipeline pipeline, List<CountUpdate> updates) {
    List<TimestampedValue<CountUpdate>> stamped = new ArrayList<>(updates.size());
    for (CountUpdate u : updates) {
      stamped.add(TimestampedValue.of(u, new Instant(u.version())));
    }
    return pipeline.apply("Updates", Create.timestamped(stamped).withCoder(CountUpdate.CountUpdateCoder.of()));
  }

  /**
   * The updates in a random order of {@code seed}, each stamped with its version, in {@code steps}
   * batches with the watermark moving forward between them (to the stamp of one of the batch's
   * updates): later batches hold updates behind the watermark, as a source with disorder sends them.
   */
  public static TestStream<CountUpdate> stream(List<CountUpdate> updates, long seed, int steps) {
    List<CountUpdate> shuffled = new ArrayList<>(updates);
    Random random = new Random(seed);
    Collections.shuffle(shuffled, random);
    TestStream.Builder<CountUpdate> stream = TestStream.create(CountUpdate.CountUpdateCoder.of());
    long watermark = Long.MIN_VALUE;
    int size = Math.max(1, (shuffled.size() + steps - 1) / steps);
    for (int from = 0; from < shuffled.size(); from += size) {
      List<CountUpdate> batch = shuffled.subList(from, Math.min(shuffled.size(), from + size));
      @SuppressWarnings("unchecked")
      TimestampedValue<CountUpdate>[] values = new TimestampedValue[batch.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = TimestampedValue.of(batch.get(i), new Instant(batch.get(i).version()));
      }
      stream = stream.addElements(values[0], java.util.Arrays.copyOfRange(values, 1, values.length));
      long to = batch.get(random.nextInt(batch.size())).version();
      if (to > watermark) {
        watermark = to;
        stream = stream.advanceWatermarkTo(new Instant(watermark));
      }
    }
    return stream.advanceWatermarkToInfinity();
  }

  /**
   * What is wrong with {@code output} as the counts of {@code updates} (see the class comment): one
   * line per fault, empty when the property holds.
   */
  public static List<String> violations(List<CountUpdate> updates, Iterable<GroupCount> output) {
    Map<String, Long> expected = RetractingCountModel.finalCounts(updates);
    Map<String, List<GroupCount>> byGroup = new TreeMap<>();
    for (GroupCount c : output) {
      byGroup.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
    }
    List<String> faults = new ArrayList<>();
    for (Map.Entry<String, List<GroupCount>> e : byGroup.entrySet()) {
      List<GroupCount> rows = e.getValue();
      GroupCount last = rows.get(0);
      TreeSet<Long> revisions = new TreeSet<>();
      for (GroupCount c : rows) {
        revisions.add(c.revision());
        if (c.revision() > last.revision()) {
          last = c;
        }
      }
      if (revisions.size() != rows.size() || revisions.first() != 1 || revisions.last() != rows.size()) {
        faults.add(e.getKey() + ": revisions are not 1.." + rows.size() + " each once: " + revisions);
      }
      long want = expected.getOrDefault(e.getKey(), 0L);
      if (last.count() != want) {
        faults.add(e.getKey() + ": ends at " + last.count() + " (revision " + last.revision() + "), the model counts " + want);
      }
    }
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      if (!byGroup.containsKey(e.getKey())) {
        faults.add(e.getKey() + ": the model counts " + e.getValue() + ", the output has no row");
      }
    }
    return faults;
  }

  /** Asserts the property on {@code output}, the counts of {@code updates}, when the pipeline runs. */
  public static void assertProperty(PCollection<GroupCount> output, List<CountUpdate> updates) {
    PAssert.that(output)
        .satisfies(
            rows -> {
              List<String> faults = violations(updates, rows);
              if (!faults.isEmpty()) {
                throw new AssertionError(faults.size() + " faults, the first: " + faults.subList(0, Math.min(10, faults.size())));
              }
              return null;
            });
  }

  /**
   * The seeds among {@code seeds} whose rows in {@code output} (of {@link #generateAll} of them) break
   * the property, each with its number of faults and the first: empty when all hold.
   */
  public static List<String> failingSeeds(List<Long> seeds, Iterable<GroupCount> output) {
    List<String> failing = new ArrayList<>();
    for (long seed : seeds) {
      List<String> faults = violations(generate(seed), ofSeed(seed, output));
      if (!faults.isEmpty()) {
        failing.add("seed " + seed + ": " + faults.size() + " faults, e.g. " + faults.get(0));
      }
    }
    return failing;
  }

  /**
   * Asserts the property for each of {@code seeds} on {@code output}, the counts of {@link
   * #generateAll}{@code (seeds)}, when the pipeline runs.
   */
  public static void assertPropertyForSeeds(PCollection<GroupCount> output, List<Long> seeds) {
    List<Long> copy = List.copyOf(seeds);
    PAssert.that(output)
        .satisfies(
            rows -> {
              List<String> failing = failingSeeds(copy, rows);
              if (!failing.isEmpty()) {
                throw new AssertionError(String.join("\n", failing));
              }
              return null;
            });
  }
}
