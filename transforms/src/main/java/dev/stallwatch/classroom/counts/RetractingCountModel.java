package dev.stallwatch.classroom.counts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link RetractingCount}'s counts end at, in plain Java: the reference its tests hold it to.
 *
 * <p>Per id the update with the largest {@code (version, arrival)} wins, whatever the order of the
 * list (equal pairs are the same row, see {@link CountUpdate}); each group counts the winners in it.
 * Expiry is not modelled: it holds for updates that never expire.
 *
 * <p>Only groups with a count above 0 are in the map. Which groups the pipeline emits a final 0 for
 * depends on the order it saw the updates in (a group some superseded update once counted in gets
 * rows only if that update arrived before the one that supersedes it), so it is not a function of
 * the list; what is: for every group the pipeline emits, its row of the highest revision has the
 * model's count (0 when absent here), and every group here is emitted.
 */
public final class RetractingCountModel {
  private RetractingCountModel() {}

  /** The count of each group with at least one latest update in it, in group order. */
  public static Map<String, Long> finalCounts(List<CountUpdate> updates) {
    Map<String, CountUpdate> latest = new HashMap<>();
    for (CountUpdate u : updates) {
      CountUpdate kept = latest.get(u.id());
      if (kept == null || later(u, kept)) {
        latest.put(u.id(), u);
      }
    }
    Map<String, Long> counts = new TreeMap<>();
    for (CountUpdate u : latest.values()) {
      if (u.group() != null) {
        counts.merge(u.group(), 1L, Long::sum);
      }
    }
    return counts;
  }

  /** {@code a} is later than {@code b}: by version, then by arrival (written here apart from {@link CountUpdate#isNewerThan}). */
  private static boolean later(CountUpdate a, CountUpdate b) {
    int byVersion = Long.compare(a.version(), b.version());
    return byVersion > 0 || (byVersion == 0 && a.arrival() > b.arrival());
  }
}
