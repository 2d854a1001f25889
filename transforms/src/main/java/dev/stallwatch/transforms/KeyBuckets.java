package dev.stallwatch.transforms;

/**
 * Spreads keys (applicants, mobiles) over a fixed number of buckets, the keys of StallWatch's
 * groupings. The hash is {@link String#hashCode}, the same in every JVM, so a bucket's state stays
 * with it across restarts; changing the number of buckets therefore needs a fresh start.
 */
final class KeyBuckets {
  /** Enough buckets to spread work over any cluster, few enough to keep per-key costs flat. */
  static final int DEFAULT = 1024;

  private KeyBuckets() {}

  static int of(String key, int buckets) {
    return Math.floorMod(key.hashCode(), buckets);
  }

  static int check(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("key buckets must be at least 1, not " + buckets);
    }
    return buckets;
  }
}
