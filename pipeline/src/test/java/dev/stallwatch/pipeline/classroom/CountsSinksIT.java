package dev.stallwatch.pipeline.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import dev.stallwatch.pipeline.search.OpenSearchNode;
import dev.stallwatch.pipeline.search.SearchIndexes;
import dev.stallwatch.pipeline.search.SearchSettings;
import dev.stallwatch.text.JsonReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * C2's, C6's and C7's sinks as the streaming job wires them ({@link ClassroomStreamingJob#writeCounts}):
 * a generated day of the four account and order topics, shuffled, through {@link CountsGraph} to a
 * real OpenSearch node (C6, by {@code _bulk} with external versions) and an H2 database (C2's
 * dictionary, C7's {@code staff_index}); run twice. Each time the index's documents and the
 * tables hold exactly the models' counts ({@link ConformanceCases#expected}): every group the
 * models count with its count, any other document at 0 (a group that went down to nobody). The
 * replay ends at the same counts; it may add documents at 0 for groups its own order of the rows
 * passed through.
 */
class CountsSinksIT {
  private static OpenSearchNode node;

  @BeforeAll
  static void start() throws Exception {
    node = OpenSearchNode.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theIndexAndTheTablesHoldTheModelsCountsAlsoAfterAReplay() throws Exception {
    ClassroomConfig config = ClassroomConfig.defaults();
    ClassroomGenerator generator = ClassroomGenerator.builder().seed(17).students(60).days(1).accounts(true).build();
    Map<String, List<Message>> byTopic = new LinkedHashMap<>();
    ClassroomTopics.INPUTS.forEach(t -> byTopic.put(t, new ArrayList<>()));
    Map<String, Long> offsets = new HashMap<>();
    for (ClassroomGenerator.Generated g : generator.accountMessages()) {
      long offset = offsets.merge(g.topic(), 1L, Long::sum) - 1;
      byTopic.get(g.topic()).add(g.message(g.topic() + "/0/" + offset));
    }
    Map<String, List<String>> expected = ConformanceCases.expected(byTopic, config);
    Map<String, Long> leads = counts(expected.get(ClassroomTopics.REGISTRATIONS_INDEX), "uk", null, "leads");
    Map<String, Long> staff = counts(expected.get(ClassroomTopics.STAFF_TABLE), "cc_id", "attribution_time", "cc_index");
    assertTrue(leads.size() > 10 && staff.size() > 3, "the day counts in many groups: " + leads.size() + ", " + staff.size());

    SearchSettings search = SearchSettings.of(node.url(), "vk_app_es_sign_csh").withBulkSize(50);
    assertTrue(SearchIndexes.createIfMissing(search, CountsRows.REGISTRATION_MAPPING));
    JdbcSettings jdbc =
        JdbcSettings.builder("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=Oracle;DB_CLOSE_DELAY=-1").passwordEnv(null).build();
    OperationsTables tables = OperationsTables.defaults();
    tables.createMissing(jdbc);
    ClassroomStreamingJob.Tables sinks = new ClassroomStreamingJob.Tables(jdbc, ClassroomTables.defaults(), tables, search);

    for (int run = 0; run < 2; run++) {
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
      CountsGraph.Outputs counts =
          CountsGraph.build(
              new CountsGraph.Inputs(
                  shuffled(pipeline, "Levels", byTopic.get(ClassroomTopics.LEVELS), run),
                  shuffled(pipeline, "Students", byTopic.get(ClassroomTopics.STUDENTS), run),
                  shuffled(pipeline, "Users", byTopic.get(ClassroomTopics.USERS), run),
                  shuffled(pipeline, "Orders", byTopic.get(ClassroomTopics.ORDERS), run)),
              config);
      ClassroomStreamingJob.writeCounts(counts, config, sinks, "");
      assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

      Map<String, Long> indexed = new TreeMap<>();
      SearchIndexes.documents(search).forEach((id, json) -> indexed.put(id, number(json, "leads")));
      assertCounts("run " + run + ": the index", leads, indexed);
      assertCounts("run " + run + ": staff_index", staff, staffRows(jdbc, tables.staffIndex()));
      assertEquals(
          expected.get(ClassroomTopics.LEVEL_TABLE).size(), rowCount(jdbc, tables.levels()), "run " + run + ": the dictionary's rows");
    }
  }

  /** Equal to the models: each counted group with its count; any other group at 0. */
  private static void assertCounts(String what, Map<String, Long> model, Map<String, Long> stored) {
    Map<String, Long> positive = new TreeMap<>();
    stored.forEach((group, n) -> {
      if (n != 0) {
        positive.put(group, n);
      }
    });
    assertEquals(model, positive, what);
    System.out.printf(
        "CountsSinksIT: %s holds %d groups as the models count them and %d at 0%n", what, positive.size(), stored.size() - positive.size());
  }

  private static PCollection<Message> shuffled(Pipeline pipeline, String name, List<Message> messages, int seed) {
    List<Message> copy = new ArrayList<>(messages);
    Collections.shuffle(copy, new Random(seed));
    return pipeline.apply(name, Create.of(copy).withCoder(Message.MessageCoder.of()));
  }

  /** Group → count of expected lines: the group is {@code key} (and {@code key2}, joined by |). */
  private static Map<String, Long> counts(List<String> lines, String key, String key2, String count) {
    Map<String, Long> out = new TreeMap<>();
    for (String line : lines) {
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) JsonReader.parse(line);
      out.put(key2 == null ? (String) f.get(key) : f.get(key) + "|" + f.get(key2), ((Number) f.get(count)).longValue());
    }
    return out;
  }

  private static long number(String json, String field) {
    @SuppressWarnings("unchecked")
    Map<String, Object> f = (Map<String, Object>) JsonReader.parse(json);
    return ((Number) f.get(field)).longValue();
  }

  private static Map<String, Long> staffRows(JdbcSettings jdbc, String table) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT cc_id, attribution_time, cc_index, type FROM " + table)) {
      while (r.next()) {
        assertEquals(OperationsTables.STAFF_TYPE, r.getInt(4));
        out.put(r.getString(1) + "|" + r.getString(2), r.getLong(3));
      }
    }
    return out;
  }

  private static long rowCount(JdbcSettings jdbc, String table) throws Exception {
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
