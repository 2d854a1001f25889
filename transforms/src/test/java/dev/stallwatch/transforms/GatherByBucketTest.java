package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.StallRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnTester;
import org.junit.jupiter.api.Test;

/**
 * The gathering step before the batch engine's grouping hands on every record once, under its
 * bucket, in lists of at most its limit, whether a bundle ends before or after the limit is
 * reached.
 */
class GatherByBucketTest {
  @Test
  void everyRecordOnceUnderItsBucketInListsOfAtMostTheLimit() throws Exception {
    int buckets = 5;
    int limit = 7;
    List<StallRecord> input = new ArrayList<>();
    for (int i = 0; i < 103; i++) {
      input.add(StallRecord.of(BadRecord.of("raw " + i, "dump.csv:" + (i + 2), "a reason")));
    }
    Map<StallRecord, Integer> seen = new HashMap<>();
    int lists = 0;
    // three bundles: one ends at a multiple of the limit, two do not
    for (List<StallRecord> bundle : List.of(input.subList(0, 14), input.subList(14, 60), input.subList(60, 103))) {
      List<org.apache.beam.sdk.values.KV<Integer, List<StallRecord>>> out = run(new SortedStallAlerts.GatherFn(buckets, limit), bundle);
      for (var kv : out) {
        lists++;
        assertTrue(!kv.getValue().isEmpty() && kv.getValue().size() <= limit, kv.toString());
        for (StallRecord r : kv.getValue()) {
          assertEquals(KeyBuckets.of(r.deadLetter().origin(), buckets), kv.getKey(), r.toString());
          assertEquals(null, seen.put(r, kv.getKey()), "handed on twice: " + r);
        }
      }
    }
    assertEquals(input.size(), seen.size(), "every record handed on");
    assertTrue(lists < input.size(), "records travel together: " + lists + " lists for " + input.size());
  }

  @SuppressWarnings("deprecation") // DoFnTester: the one way to hold a DoFn to exact bundle edges
  private static <O> List<O> run(DoFn<StallRecord, O> fn, List<StallRecord> bundle) throws Exception {
    try (DoFnTester<StallRecord, O> tester = DoFnTester.of(fn)) {
      return tester.processBundle(bundle);
    }
  }
}
