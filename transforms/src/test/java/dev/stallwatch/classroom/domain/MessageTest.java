package dev.stallwatch.classroom.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class MessageTest {
  @Test
  void theCoderKeepsAKeyAndNoKeyApart() throws Exception {
    Message.MessageCoder coder = Message.MessageCoder.of();
    for (Message m :
        new Message[] {
          new Message("k1", "{\"a\":1}", "timeline_client_topic-0@7"),
          new Message(null, "{}", "dump.jsonl:2"),
          new Message("", "", "x")
        }) {
      assertEquals(m, CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, m)));
    }
  }
}
