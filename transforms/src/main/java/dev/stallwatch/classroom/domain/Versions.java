package dev.stallwatch.classroom.domain;

import java.util.Objects;

/**
 * How the account and order rows of C2, C6 and C7 decide which of two rows of one {@code id} is the
 * later: by {@code update_time}, then by arrival (the Kafka offset or the dump line, see {@code
 * Arrival} in {@code classroom.parse}), then — so that the same rows give the same winner in any
 * order, even two rows of equal time and arrival from different partitions or files — by their
 * fields' text. Also the presence mask of the rows' coders.
 */
final class Versions {
  private Versions() {}

  /** Compares two versions by time, then arrival, then their fields' text (null first). */
  static int compare(long timeA, long arrivalA, String[] fieldsA, long timeB, long arrivalB, String[] fieldsB) {
    int c = Long.compare(timeA, timeB);
    if (c != 0) {
      return c;
    }
    c = Long.compare(arrivalA, arrivalB);
    if (c != 0) {
      return c;
    }
    for (int i = 0; i < fieldsA.length; i++) {
      String a = fieldsA[i];
      String b = fieldsB[i];
      if (!Objects.equals(a, b)) {
        return a == null ? -1 : b == null ? 1 : a.compareTo(b);
      }
    }
    return 0;
  }

  /** A nullable number as text, for the last tie-break. */
  static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /** Bit {@code bit} of a coder's presence mask: set when {@code value} is there. */
  static long bit(Object value, int bit) {
    return value == null ? 0 : 1L << bit;
  }

  static boolean has(long mask, int bit) {
    return (mask & (1L << bit)) != 0;
  }
}
