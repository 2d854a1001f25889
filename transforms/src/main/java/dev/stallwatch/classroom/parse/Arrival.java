package dev.stallwatch.classroom.parse;

/**
 * The arrival order of a message within its topic, taken from its origin: the Kafka offset of
 * {@code topic/partition/offset} or the line of a dump's {@code file:line} — the origin's trailing
 * whole number. C6 and C7 use it to order two rows of one id with the same {@code update_time}
 * (and the user rows, which have none), as the article's {@code last_value} took the last to arrive.
 *
 * <p>It orders only rows of one id. That is enough because the account and order topics are keyed
 * by id, so all rows of an id are in one partition, whose offsets grow as they arrive; offsets of
 * different partitions are not comparable, and neither are the lines of two dump files (a dump of
 * a topic should be one file in arrival order, as the generator writes it). An origin without a
 * trailing number gives 0 (its rows tie, and the next tie-break decides); of a trailing run longer
 * than 18 digits the last 18 count.
 */
public final class Arrival {
  private Arrival() {}

  /** The trailing whole number of {@code origin} ({@code "t/0/42"} and {@code "d.jsonl:42"} give 42). */
  public static long of(String origin) {
    if (origin == null) {
      return 0;
    }
    int end = origin.length();
    int start = end;
    while (start > 0 && end - start < 18 && origin.charAt(start - 1) >= '0' && origin.charAt(start - 1) <= '9') {
      start--;
    }
    return start == end ? 0 : Long.parseLong(origin, start, end, 10);
  }
}
