package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Message;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LevelParserTest {
  private static final LevelParser PARSER = new LevelParser(ZoneId.of("Asia/Shanghai"));

  private static RowParser.Parsed<LevelEntry> parse(String json) {
    return PARSER.parse(new Message("k", json, "blink_stg_activity__channel_name_dictionary_da/2/31"));
  }

  @Test
  void readsEveryFieldWithNamesInAnyCaseAndNumbersAsText() {
    RowParser.Parsed<LevelEntry> p =
        parse(
            "{\"ID\":1001,\"Chinese_Name\":\" 抖音 \",\"english_name\":\"Douyin\",\"level\":\" a \",\"pid\":\"3\","
                + "\"create_time\":\"2024-03-19 08:00:00\",\"UPDATE_TIME\":\"1710815400000\",\"dept_id\":12,\"extra\":[1]}");
    assertNull(p.reason());
    assertEquals(
        new LevelEntry(
            "1001", "b8c37e33defde51cf91e1e03e51657da", "抖音", "Douyin", "a", "3", 1710806400000L, 1710815400000L, "12", 31),
        p.row());
    assertEquals("A", p.row().bucket());
  }

  @Test
  void onlyIdAndUpdateTimeAreNeeded() {
    RowParser.Parsed<LevelEntry> p = parse("{\"id\":\"渠道-7\",\"update_time\":1710815400000,\"level\":\"\",\"pid\":null}");
    assertEquals(
        new LevelEntry("渠道-7", "2cff76cba6814ca04d68edd3a63eb211", null, null, null, null, null, 1710815400000L, null, 31), p.row());
    assertEquals("other", p.row().bucket());
    // 14 digits are yyyyMMddHHmmss in the zone
    assertEquals(1710815400000L, parse("{\"id\":1,\"update_time\":\"20240319103000\"}").row().updateTime());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|not JSON",
        "\"a string\"|not a JSON object: a string",
        "{\"update_time\":1}|id: missing",
        "{\"id\":\"  \",\"update_time\":1}|id: missing",
        "{\"id\":[1],\"update_time\":1}|id: not a text but an array",
        "{\"id\":1}|update_time: missing",
        "{\"id\":1,\"update_time\":\"\"}|update_time: missing",
        "{\"id\":1,\"update_time\":0}|update_time: not a time: '0'",
        "{\"id\":1,\"update_time\":1,\"create_time\":-5}|create_time: time '-5'",
      })
  void aMissingOrUnusableNeededFieldIsADeadLetterNamingIt(String json, String reason) {
    RowParser.Parsed<LevelEntry> p = parse(json);
    assertNull(p.row());
    assertTrue(p.reason().startsWith(reason), p.reason());
  }
}
