package dev.stallwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader fails only with JsonException, whatever the text, and skips what it reads. */
class JsonReaderTest {
  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    JsonReader.JsonException e = assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse(deep));
    assertTrue(e.getMessage().startsWith("values nested deeper than 64 levels"), e.getMessage());
    JsonReader r = new JsonReader("{\"x\":" + deep + "}");
    r.beginObject();
    r.nextField();
    assertThrows(JsonReader.JsonException.class, r::skipValue);
  }

  @Test
  void nestingUpToTheLimitIsRead() {
    String atLimit = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    JsonReader.parse(atLimit);
    // inside a row's object the row itself is the first level
    JsonReader r = new JsonReader("{\"x\":" + "[".repeat(JsonReader.MAX_DEPTH - 1) + "]".repeat(JsonReader.MAX_DEPTH - 1) + "}");
    r.beginObject();
    r.nextField();
    r.skipValue();
    assertEquals(null, r.nextField());
  }

  @Test
  void aNumberBeyondBigDecimalIsABadValueWhenReadAndPassedOverWhenSkipped() {
    JsonReader.JsonException e =
        assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse("[1e99999999999]"));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    JsonReader r = new JsonReader("{\"x\":1e99999999999,\"y\":2}");
    r.beginObject();
    assertEquals("x", r.nextField());
    r.skipValue();
    assertEquals("y", r.nextField());
    assertEquals("2", r.scalarText());
  }

  /**
   * skipValue accepts exactly what readValue accepts and stops at the same place, or fails at the
   * same place with the same message, on random texts built from JSON's tokens (a number
   * beyond BigDecimal, which only readValue refuses, is left out).
   */
  @Test
  void skipValueAgreesWithReadValueOnRandomTexts() {
    Random random = new Random(20240320);
    String[] tokens = {
      "{", "}", "[", "]", ",", ":", " ", "\"a\"", "\"a\"", "\"b\\n\"", "\"\\u00e9\"", "\"\\x\"", "\"\\u12\"",
      "\"open", "1", "-0.5e3", "01", "1.", "true", "fals", "null", "\"\u0001\"", "\"k\":", "\"k\":1"
    };
    int agreedValid = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder sb = new StringBuilder("{\"v\":");
      int length = 1 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        sb.append(tokens[random.nextInt(tokens.length)]);
      }
      sb.append(",\"end\":0}");
      String text = sb.toString();
      String read = outcome(text, false);
      String skipped = outcome(text, true);
      assertEquals(read, skipped, text);
      if (read.startsWith("ok")) {
        agreedValid++;
      }
    }
    assertTrue(agreedValid > 1_000, "too few valid texts to mean anything: " + agreedValid);
  }

  private static String outcome(String text, boolean skip) {
    JsonReader r = new JsonReader(text);
    try {
      r.beginObject();
      r.nextField();
      if (skip) {
        r.skipValue();
      } else {
        r.readValue();
      }
      String next = r.nextField();
      return "ok " + next;
    } catch (JsonReader.JsonException e) {
      return "error " + e.getMessage();
    }
  }
}
