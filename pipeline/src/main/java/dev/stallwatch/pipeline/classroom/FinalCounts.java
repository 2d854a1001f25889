package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A backfill's last word on an updating result: of each group's counts the one of the highest
 * revision, groups that end at 0 left out (a backfill computes from the whole dump, so a group
 * with no one left in it has no row; the live index or table keeps such a group at 0 if it was
 * ever above); of each dictionary id the latest row.
 */
final class FinalCounts {
  private FinalCounts() {}

  static PTransform<PCollection<GroupCount>, PCollection<GroupCount>> counts() {
    return new PTransform<>() {
      @Override
      public PCollection<GroupCount> expand(PCollection<GroupCount> counts) {
        return counts
            .apply("ByGroup", WithKeys.of(GroupCount::group).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), GroupCount.GroupCountCoder.of()))
            .apply("HighestRevision", Combine.perKey((GroupCount a, GroupCount b) -> a.revision() >= b.revision() ? a : b))
            .apply("Counts", Values.create())
            .apply("NotZero", Filter.by((GroupCount c) -> c.count() != 0));
      }
    };
  }

  static PTransform<PCollection<LevelEntry>, PCollection<LevelEntry>> levels() {
    return new PTransform<>() {
      @Override
      public PCollection<LevelEntry> expand(PCollection<LevelEntry> rows) {
        return rows.apply("ById", WithKeys.of(LevelEntry::id).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), LevelEntry.LevelEntryCoder.of()))
            .apply("Latest", Combine.perKey(LevelEntry::latest))
            .apply("Rows", Values.create());
      }
    };
  }
}
