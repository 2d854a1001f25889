package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.testing.AlertJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a streaming job wrote, as the tests read it: topics read committed, the audit table. */
final class JobOutputs {
  private JobOutputs() {}

  /** Every value on {@code topic}, read committed, from the beginning. */
  static List<String> committed(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    props.put("group.id", "check-" + System.nanoTime());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long until = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
          values.add(r.value());
        }
        if (!values.isEmpty() && c.assignment().stream().allMatch(tp -> c.position(tp) >= endOffset(c, tp))) {
          break;
        }
      }
    }
    return values;
  }

  private static long endOffset(KafkaConsumer<String, String> c, TopicPartition tp) {
    return c.endOffsets(List.of(tp)).get(tp);
  }

  /** The audit key and time of each distinct alert: EVENT_ID|MOBILE|EVENT_DATE|EVENT_TIME. */
  static TreeSet<String> auditKeys(List<String> alerts) {
    TreeSet<String> keys = new TreeSet<>();
    for (String a : alerts) {
      Map<String, String> f = AlertJson.fields(a);
      keys.add(String.join("|", f.get("event_id"), f.get("mobile"), f.get("occur_date"), f.get("occur_time")));
    }
    return keys;
  }

  /** The audit table's rows as {@link #auditKeys} writes them; fails when a key is there twice. */
  static TreeSet<String> auditRows(JdbcSettings jdbc, String table) throws Exception {
    List<String> all = auditRowList(jdbc, table);
    TreeSet<String> rows = new TreeSet<>(all);
    assertEquals(rows.size(), all.size(), "duplicate audit rows");
    return rows;
  }

  /** Every row of the audit table, as {@link #auditKeys} writes it, repeats included. */
  static List<String> auditRowList(JdbcSettings jdbc, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT EVENT_ID, MOBILE, EVENT_DATE, EVENT_TIME FROM " + table)) {
      while (r.next()) {
        rows.add(String.join("|", r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
      }
    }
    return rows;
  }
}
