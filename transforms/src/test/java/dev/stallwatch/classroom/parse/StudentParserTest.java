package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.StudentRow;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StudentParserTest {
  private static final StudentParser PARSER = new StudentParser(ZoneId.of("Asia/Shanghai"));

  private static RowParser.Parsed<StudentRow> parse(String json, String origin) {
    return PARSER.parse(new Message(null, json, origin));
  }

  @Test
  void readsTheRowWithItsArrivalFromTheOrigin() {
    assertEquals(
        new StudentRow("100001", "1001", 1710815400000L, 77),
        parse("{\"Id\":100001,\"CHANNEL_ID\":\"1001\",\"update_time\":\"2024-03-19 10:30:00\"}", "uc_account-student/1/77").row());
    assertEquals(
        new StudentRow("100001", "1001", 1710815400000L, 8),
        parse("{\"id\":\" 100001 \",\"channel_id\":1001.0,\"update_time\":1710815400000}", "/d/uc_account-student.jsonl:8").row());
  }

  @Test
  void aStudentWithoutChannelIsARowOfNoChannel() {
    assertEquals(new StudentRow("5", null, 1710815400000L, 3), parse("{\"id\":5,\"update_time\":1710815400000}", "t/0/3").row());
    assertEquals(
        new StudentRow("5", null, 1710815400000L, 3), parse("{\"id\":5,\"channel_id\":\" \",\"update_time\":1710815400000}", "t/0/3").row());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[]|not a JSON object: an array",
        "{\"channel_id\":1,\"update_time\":1}|id: missing",
        "{\"id\":null,\"update_time\":1}|id: missing",
        "{\"id\":1,\"channel_id\":1}|update_time: missing",
        "{\"id\":1,\"update_time\":\"yesterday\"}|update_time: time 'yesterday'",
        "{\"id\":1,\"update_time\":1,\"channel_id\":{\"a\":1}}|channel_id: not a text but an object",
      })
  void aMissingOrUnusableNeededFieldIsADeadLetterNamingIt(String json, String reason) {
    RowParser.Parsed<StudentRow> p = parse(json, "t/0/1");
    assertNull(p.row());
    assertTrue(p.reason().startsWith(reason), p.reason());
  }
}
