package dev.stallwatch.classroom.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class JsonRecordTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void namesAreCaseInsensitiveAndTextIsTrimmed() {
    JsonRecord r = JsonRecord.parse("{\"UserId\":\"  u1 \",\"ROLE\":2,\"x\":null}");
    assertEquals("u1", r.text("userid"));
    assertEquals("2", r.text("role"));
    assertEquals(2L, r.whole("Role"));
    assertNull(r.text("x"));
    assertFalse(r.has("x"));
    assertNull(r.text("missing"));
  }

  @Test
  void numbersComeAsTextAndTextAsNumbers() {
    JsonRecord r = JsonRecord.parse("{\"a\":\" 305 \",\"b\":305.0,\"c\":\"1.5\",\"d\":\"\"}");
    assertEquals(305L, r.whole("a"));
    assertEquals(305L, r.whole("b"));
    assertEquals("305", r.text("b"));
    assertEquals(new BigDecimal("1.5"), r.number("c"));
    assertNull(r.whole("d"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.whole("c"));
    assertEquals("c: not a whole number: '1.5'", e.getMessage());
  }

  @Test
  void aNestedObjectMayArriveAsAStringHoldingJson() {
    JsonRecord r =
        JsonRecord.parse("{\"data\":\"{\\\"msg\\\":{\\\"MsgType\\\":116}}\",\"inline\":{\"k\":\"v\"},\"blank\":\" \"}");
    assertEquals(116L, r.object("data").object("msg").whole("msgtype"));
    assertEquals("v", r.object("inline").text("k"));
    assertNull(r.object("blank"));
    assertNull(r.object("missing"));
    assertEquals("data.msg.msgtype", r.object("data").object("msg").where("msgtype"));
  }

  @Test
  void whatIsNotAnObjectIsNamed() {
    assertEquals("not a JSON object: an array", assertThrows(IllegalArgumentException.class, () -> JsonRecord.parse("[1]")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonRecord.parse("{\"a\":")).getMessage().startsWith("not JSON: "));
    JsonRecord r = JsonRecord.parse("{\"data\":\"not json\",\"n\":5,\"s\":\"[1]\"}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> r.object("data")).getMessage().startsWith("data: a string that is not JSON"));
    assertEquals("n: not an object but a number", assertThrows(IllegalArgumentException.class, () -> r.object("n")).getMessage());
    assertEquals("s: not an object but an array", assertThrows(IllegalArgumentException.class, () -> r.object("s")).getMessage());
  }

  @Test
  void timesAreEpochMillisOrSpecFormats() {
    JsonRecord r =
        JsonRecord.parse(
            "{\"ms\":1710900000123,\"text\":\"1710900000123\",\"local\":\"2024-03-20 10:00:00.5\",\"compact\":\"20240320100000\","
                + "\"zero\":0,\"bad\":\"yesterday\",\"blank\":\"\"}");
    assertEquals(1710900000123L, r.time("ms", SHANGHAI));
    assertEquals(1710900000123L, r.time("text", SHANGHAI));
    assertEquals(1710900000500L, r.time("local", SHANGHAI));
    assertEquals(1710900000000L, r.time("compact", SHANGHAI));
    assertEquals("zero: not a time: '0'", assertThrows(IllegalArgumentException.class, () -> r.time("zero", SHANGHAI)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> r.time("bad", SHANGHAI)).getMessage().startsWith("bad: "));
    assertEquals("blank: missing", assertThrows(IllegalArgumentException.class, () -> r.time("blank", SHANGHAI)).getMessage());
    assertEquals("none: missing", assertThrows(IllegalArgumentException.class, () -> r.time("none", SHANGHAI)).getMessage());
  }
}
