package dev.stallwatch.pipeline.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SearchIndexWrite} on the direct runner against a real OpenSearch 2.19 node ({@link
 * OpenSearchNode}): documents written land as they were written and read back equal; an older
 * version written after a newer one, and the same batch written twice, change nothing and are
 * counted as superseded; a document the mapping refuses, and one written to a missing index, are
 * dead letters with the node's reason while the others land.
 */
class SearchIndexWriteIT {
  private static final String MAPPING =
      "{\"properties\":{\"level\":{\"type\":\"keyword\"},\"leads\":{\"type\":\"long\"},\"note\":{\"type\":\"text\"}}}";

  private static OpenSearchNode node;

  @BeforeAll
  static void start() throws IOException {
    node = OpenSearchNode.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static SearchSettings index(String name) throws Exception {
    SearchSettings s = SearchSettings.of(node.url(), name).withBulkSize(7);
    assertTrue(SearchIndexes.createIfMissing(s, MAPPING), "a new index " + name);
    assertFalse(SearchIndexes.createIfMissing(s, MAPPING), "an index that exists is left alone");
    return s;
  }

  private static PipelineResult write(SearchSettings s, List<SearchDoc> docs) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(docs)).apply(SearchIndexWrite.to(s));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static String source(String level, long leads, String note) {
    return "{\"level\":\"" + level + "\",\"leads\":" + leads + ",\"note\":\"" + note + "\"}";
  }

  @Test
  void writtenDocumentsReadBackEqual() throws Exception {
    SearchSettings s = index("written");
    List<SearchDoc> docs = new ArrayList<>();
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      String json = source(i % 2 == 0 ? "L1" : "L2", i * 10L, "学员 " + i + " \\\"quoted\\\"");
      docs.add(new SearchDoc("lead-" + i, json, 1));
      expected.put("lead-" + i, json);
    }
    // a pretty-printed source is sent on one line and stored as given
    docs.add(new SearchDoc("pretty", "{\n  \"level\": \"L3\",\n  \"leads\": 5\n}", 2));
    expected.put("pretty", "{\"level\":\"L3\",\"leads\":5}");

    PipelineResult result = write(s, docs);

    assertEquals(expected, SearchIndexes.documents(s));
    assertEquals(31, SearchBulkProtocolTest.counter(result, SearchIndexWrite.WRITTEN, 31));
    assertEquals(0, SearchBulkProtocolTest.counter(result, SearchIndexWrite.REJECTED, 0));
    Map<String, Long> versions = SearchIndexes.versions(s);
    assertEquals(1L, versions.get("lead-7"));
    assertEquals(2L, versions.get("pretty"));
  }

  @Test
  void anOlderVersionKeepsTheNewerAndTheSameBatchTwiceChangesNothing() throws Exception {
    SearchSettings s = index("versions");
    List<SearchDoc> newer = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      newer.add(new SearchDoc("lead-" + i, source("NEW", i, "v5"), 5));
    }
    // the highest version wins whatever the order
    newer.add(new SearchDoc("mixed", source("V9", 9, "v9"), 9));
    newer.add(new SearchDoc("mixed", source("V3", 3, "v3"), 3));
    PipelineResult first = write(s, newer);
    // the direct runner may put the two of "mixed" in different bundles: then v3 is written first
    // or refused by the node after v9; in one bundle it never leaves the batch
    long written = 0;
    long superseded = 0;
    for (int i = 0; i < 200 && written + superseded != 12; i++) { // metrics land asynchronously
      Thread.sleep(i == 0 ? 0 : 50);
      written = SearchBulkProtocolTest.counter(first, SearchIndexWrite.WRITTEN);
      superseded = SearchBulkProtocolTest.counter(first, SearchIndexWrite.SUPERSEDED);
    }
    assertTrue(written == 11 || written == 12, written + " written");
    assertEquals(12, written + superseded);
    Map<String, String> afterFirst = SearchIndexes.documents(s);
    assertEquals(source("NEW", 3, "v5"), afterFirst.get("lead-3"));
    assertEquals(source("V9", 9, "v9"), afterFirst.get("mixed"));
    assertEquals(11, afterFirst.size());

    // a replay of older revisions: versions 1..4 against the stored 5 (and 9)
    List<SearchDoc> older = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      older.add(new SearchDoc("lead-" + i, source("OLD", -i, "v" + (1 + i % 4)), 1 + i % 4));
    }
    older.add(new SearchDoc("mixed", source("V8", 8, "v8"), 8));
    PipelineResult replay = write(s, older);
    assertEquals(0, SearchBulkProtocolTest.counter(replay, SearchIndexWrite.WRITTEN, 0));
    assertEquals(11, SearchBulkProtocolTest.counter(replay, SearchIndexWrite.SUPERSEDED, 11));
    assertEquals(afterFirst, SearchIndexes.documents(s));

    // the first batch again, equal versions: nothing changes, not even the stored versions
    Map<String, Long> versions = SearchIndexes.versions(s);
    PipelineResult again = write(s, newer);
    assertEquals(0, SearchBulkProtocolTest.counter(again, SearchIndexWrite.WRITTEN, 0));
    assertEquals(12, SearchBulkProtocolTest.counter(again, SearchIndexWrite.SUPERSEDED, 12), "all 12: in the batch or at the node");
    assertEquals(afterFirst, SearchIndexes.documents(s));
    assertEquals(versions, SearchIndexes.versions(s));
    assertEquals(5L, versions.get("lead-0"));
    assertEquals(9L, versions.get("mixed"));

    // a newer revision replaces
    write(s, List.of(new SearchDoc("lead-0", source("NEWER", 100, "v6"), 6)));
    assertEquals(source("NEWER", 100, "v6"), SearchIndexes.documents(s).get("lead-0"));
  }

  @Test
  void refusedDocumentsAreDeadLettersAndTheOthersLand() throws Exception {
    SearchSettings s = index("refused");
    List<SearchDoc> docs =
        List.of(
            new SearchDoc("good-1", source("L1", 1, "ok"), 1),
            new SearchDoc("bad-leads", "{\"level\":\"L1\",\"leads\":\"abc\"}", 1),
            new SearchDoc("good-2", source("L2", 2, "ok"), 1),
            new SearchDoc("not-object", "[1,2,3]", 1));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    SearchIndexWrite.Result out = p.apply(Create.of(docs)).apply(SearchIndexWrite.to(s).withResult());
    PAssert.that(
            out.rejected()
                .apply(
                    "Fields",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (String line) -> {
                              Map<String, String> f = JsonReader.flatFields(line);
                              return f.get("id") + "|" + f.get("index") + "|" + f.get("status") + "|" + f.get("error_type");
                            })))
        .containsInAnyOrder(
            "bad-leads|refused|400|mapper_parsing_exception", "not-object|refused|0|not_a_json_object");
    PAssert.that(
            out.deadLetters()
                .apply("Origins", MapElements.into(TypeDescriptors.strings()).via((BadRecord b) -> b.origin() + "|" + b.raw())))
        .containsInAnyOrder("refused/bad-leads|{\"level\":\"L1\",\"leads\":\"abc\"}", "refused/not-object|[1,2,3]");
    PAssert.that(
            out.deadLetters()
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via((BadRecord b) -> b.origin().endsWith("bad-leads") ? b.reason() : "")))
        .satisfies(
            reasons -> {
              for (String r : reasons) {
                if (!r.isEmpty()) {
                  // the node's own words: the field, its type and the value
                  assertTrue(r.startsWith("status 400 mapper_parsing_exception: failed to parse field [leads] of type [long]"), r);
                  assertTrue(r.contains("abc"), r);
                }
              }
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("good-1", source("L1", 1, "ok"));
    expected.put("good-2", source("L2", 2, "ok"));
    assertEquals(new TreeMap<>(expected), SearchIndexes.documents(s));
    assertEquals(2, SearchBulkProtocolTest.counter(result, SearchIndexWrite.REJECTED, 2));
    assertEquals(2, SearchBulkProtocolTest.counter(result, SearchIndexWrite.WRITTEN, 2));
  }

  @Test
  void aMissingIndexRefusesEachDocument() throws Exception {
    // the node creates no index on write (action.auto_create_index: false), as a deployment would
    SearchSettings s = SearchSettings.of(node.url(), "missing");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    SearchIndexWrite.Result out =
        p.apply(Create.of(new SearchDoc("a", "{\"leads\":1}", 1))).apply(SearchIndexWrite.to(s).withResult());
    PAssert.that(
            out.rejected()
                .apply(
                    "Fields",
                    MapElements.into(TypeDescriptors.strings())
                        .via((String line) -> JsonReader.flatFields(line).get("status") + "|" + JsonReader.flatFields(line).get("error_type"))))
        .containsInAnyOrder("404|index_not_found_exception");
    p.run().waitUntilFinish();
  }
}
