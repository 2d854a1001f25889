package dev.stallwatch.pipeline.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicDumpsTest {
  private static final List<String> TOPICS = List.of("qos_log", "qos_log_v2", "agora_record");

  @Test
  void aDumpIsNamedByItsTopicWithAnOptionalPart() {
    assertEquals("qos_log", TopicDumps.topicOf("qos_log.jsonl", TOPICS));
    assertEquals("qos_log", TopicDumps.topicOf("qos_log.jsonl.gz", TOPICS));
    assertEquals("qos_log", TopicDumps.topicOf("qos_log-2024-03-20.jsonl", TOPICS));
    assertEquals("qos_log_v2", TopicDumps.topicOf("qos_log_v2.jsonl", TOPICS), "the longest topic that fits");
    assertEquals("agora_record", TopicDumps.topicOf("agora_record-00001.jsonl.gz", TOPICS));
  }

  @Test
  void otherNamesAreNoDump() {
    assertNull(TopicDumps.topicOf("qos_log.csv", TOPICS));
    assertNull(TopicDumps.topicOf("qos_logs.jsonl", TOPICS));
    assertNull(TopicDumps.topicOf("qos_log.jsonl.bak", TOPICS));
    assertNull(TopicDumps.topicOf("qos_log-.jsonl", TOPICS));
    assertNull(TopicDumps.topicOf("other.jsonl", TOPICS));
  }
}
