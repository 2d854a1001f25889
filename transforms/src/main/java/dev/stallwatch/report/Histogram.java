package dev.stallwatch.report;

import java.util.Arrays;

/**
 * Counts of whole numbers (seconds at a step, shifts of an alert): an open-addressing table of
 * primitive keys and counts ({@link FunnelTally.TallyCoder} writes its entries only). A funnel
 * tally holds thousands of them with many distinct values each; boxed maps of them cost more than
 * the whole pass they count.
 */
public final class Histogram implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys;
  private long[] counts;
  private int size;
  private long total;

  public Histogram() {
    init(8);
  }

  private void init(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    counts = new long[capacity];
    size = 0;
    total = 0;
  }

  /** Adds {@code n} of {@code value} (never {@link Long#MIN_VALUE}). */
  public void add(long value, long n) {
    if (value == EMPTY) {
      throw new IllegalArgumentException("a histogram cannot count Long.MIN_VALUE");
    }
    if ((size + 1) * 4 > keys.length * 3) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(value, mask);
    while (keys[i] != EMPTY && keys[i] != value) {
      i = (i + 1) & mask;
    }
    if (keys[i] == EMPTY) {
      keys[i] = value;
      size++;
    }
    counts[i] += n;
    total += n;
  }

  private static int slot(long value, int mask) {
    long h = value * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    init(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        add(oldKeys[i], oldCounts[i]);
      }
    }
  }

  /** Adds every count of {@code other}. */
  public void addAll(Histogram other) {
    for (int i = 0; i < other.keys.length; i++) {
      if (other.keys[i] != EMPTY) {
        add(other.keys[i], other.counts[i]);
      }
    }
  }

  /** What {@link #forEach} hands each entry to. */
  @FunctionalInterface
  interface Entry {
    void accept(long value, long count);
  }

  /** Each value and its count, in no order. */
  void forEach(Entry entry) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        entry.accept(keys[i], counts[i]);
      }
    }
  }

  /** How many distinct values it holds. */
  int size() {
    return size;
  }

  /** How many values were counted. */
  public long total() {
    return total;
  }

  /** The sum of every value counted, as a double. */
  public double sum() {
    double sum = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        sum += (double) keys[i] * counts[i];
      }
    }
    return sum;
  }

  /**
   * The nearest-rank quantile {@code q}: the smallest value with at least {@code ceil(q·n)} of the
   * {@code n} values at or below it; null when there are none.
   */
  public Long quantile(double q) {
    if (total == 0) {
      return null;
    }
    long[][] entries = entries();
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (long[] e : entries) {
      seen += e[1];
      if (seen >= rank) {
        return e[0];
      }
    }
    throw new IllegalStateException("a histogram's counts do not add up to its total");
  }

  /** Value and count pairs, by value. */
  private long[][] entries() {
    long[][] entries = new long[size][];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        entries[n++] = new long[] {keys[i], counts[i]};
      }
    }
    Arrays.sort(entries, (a, b) -> Long.compare(a[0], b[0]));
    return entries;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && Arrays.deepEquals(entries(), h.entries());
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(entries());
  }
}
