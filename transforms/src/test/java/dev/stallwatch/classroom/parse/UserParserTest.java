package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.UserRow;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserParserTest {
  private static final UserParser PARSER = new UserParser(ZoneId.of("Asia/Shanghai"));

  private static RowParser.Parsed<UserRow> parse(String json) {
    return PARSER.parse(new Message("100001", json, "uc_account-user/0/12"));
  }

  @Test
  void readsTheRowWithoutUpdateTimeAsTheContractHasIt() {
    assertEquals(
        new UserRow("100001", "张三", 1710815400000L, "NORMAL", null, 12),
        parse("{\"ID\":\"100001\",\"Name\":\" 张三 \",\"register_date_time\":\"2024-03-19 10:30:00\",\"STATUS\":\"NORMAL\"}").row());
  }

  @Test
  void anUpdateTimeIsCarriedWhenThere() {
    assertEquals(
        new UserRow("7", null, 1710815400000L, null, 1710806400000L, 12),
        parse("{\"id\":7,\"register_date_time\":\"1710815400000\",\"update_time\":\"2024-03-19 08:00:00\",\"status\":\"\"}").row());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\":1|not JSON",
        "{\"name\":\"a\",\"register_date_time\":1}|id: missing",
        "{\"id\":1,\"name\":\"a\",\"status\":\"NORMAL\"}|register_date_time: missing",
        "{\"id\":1,\"register_date_time\":\"2024-02-30 25:61:00\"}|register_date_time: impossible date or time '2024-02-30 25:61:00'",
        "{\"id\":1,\"register_date_time\":1,\"update_time\":\"soon\"}|update_time: time 'soon'",
        "{\"id\":1,\"register_date_time\":1,\"name\":[\"x\"]}|name: not a text but an array",
      })
  void aMissingOrUnusableNeededFieldIsADeadLetterNamingIt(String json, String reason) {
    RowParser.Parsed<UserRow> p = parse(json);
    assertNull(p.row());
    assertTrue(p.reason().startsWith(reason), p.reason());
  }
}
