package dev.stallwatch.parse;

import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.JsonWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Event;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RowParserTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private final RowParser parser = new RowParser(SHANGHAI);

  private static long millis(String local) {
    return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  @Test
  void jsonNamesAreCaseInsensitiveValuesTrimmedNumbersTakenAsText() {
    Event e =
        parser.parseJson(
            "{\"MOBILE_TEL\": 13800000000, \"Request_Status\": \" 0 \", \"business_flag_last\": 22109,"
                + " \"last_update_datetime\": \"2024-03-20 10:23:02\", \"user_id\": \"u1\","
                + " \"extra\": {\"nested\": [1, 2, {\"x\": null}]}, \"branch_no\": null}");
    assertEquals("13800000000", e.mobile());
    assertEquals("0", e.requestStatus());
    assertEquals("22109", e.businessFlag());
    assertEquals("u1", e.userId());
    assertEquals("", e.branchNo());
    assertEquals(millis("2024-03-20T10:23:02"), e.eventMillis());
  }

  @Test
  void csvUsesTheHeaderInAnyCaseAndOrderWithQuotedFields() {
    RowParser.CsvHeader header =
        RowParser.CsvHeader.parse("\uFEFFLAST_UPDATE_DATETIME,Mobile_Tel,recommender,REQUEST_STATUS");
    Event e = parser.parseCsv("20240320102302, 13800000000 ,\"a,\"\"b\"\"\",0", header);
    assertEquals("13800000000", e.mobile());
    assertEquals("a,\"b\"", e.recommender());
    assertEquals(millis("2024-03-20T10:23:02"), e.eventMillis());
  }

  @ParameterizedTest
  @CsvSource({
    "2024-03-20 10:23:02, 2024-03-20T10:23:02",
    "2024-03-20T10:23:02, 2024-03-20T10:23:02",
    "20240320102302, 2024-03-20T10:23:02",
    "2024-03-20 10:23:02.5, 2024-03-20T10:23:02.500",
    "2024-03-20T10:23:02.123456789, 2024-03-20T10:23:02.123",
    "2024-02-29 23:59:59, 2024-02-29T23:59:59"
  })
  void everyListedTimeFormatIsTheSameInstant(String text, String local) {
    assertEquals(millis(local), EventTimes.parse(text, SHANGHAI));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-02-30 10:00:00",
        "2023-02-29 10:00:00",
        "2024-03-20 24:00:00",
        "2024-03-20 10:60:00",
        "2024/03/20 10:00:00",
        "2024-03-20",
        "20240320",
        "2024-03-20 10:00:00.",
        "2024-03-20 10:00:00.1234567890",
        "2024-03-20 10:00:00Z",
        "yesterday",
        ""
      })
  void impossibleOrUnlistedTimesAreRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> EventTimes.parse(text, SHANGHAI));
  }

  @Test
  void timesAreWrittenBackInTheZone() {
    long t = millis("2024-03-20T00:03:00");
    assertEquals("2024-03-20 00:03:00", EventTimes.dateTime(t, SHANGHAI));
    assertEquals("20240320", EventTimes.date(t, SHANGHAI));
    assertEquals("00:03:00", EventTimes.time(t, SHANGHAI));
    assertEquals("20240319", EventTimes.date(t, ZoneId.of("UTC")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1,2]| not a JSON object: the row is an array",
        "\"text\"| not a JSON object: the row is a string",
        "{\"mobile_tel\":\"1\",\"request_status\":\"0\"| invalid JSON",
        "{\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"}| missing required field mobile_tel",
        "{\"mobile_tel\":\"  \",\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"}| empty required field mobile_tel",
        "{\"mobile_tel\":{\"a\":1},\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"}| field mobile_tel: expected text or a number, found an object",
        "{\"mobile_tel\":true,\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"}| field mobile_tel: expected text or a number, found a boolean",
        "{\"mobile_tel\":\"1\",\"MOBILE_TEL\":\"2\",\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"}| field mobile_tel appears more than once",
        "{\"mobile_tel\":\"1\",\"request_status\":\"0\",\"last_update_datetime\":\"2024-02-30 10:00:00\"}| last_update_datetime: impossible date",
        "{\"mobile_tel\":\"1\",\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:00:00\"} x| invalid JSON: unexpected text after"
      })
  void badJsonRowsSayWhy(String row, String reasonStart) {
    RowParser.BadRowException e =
        assertThrows(RowParser.BadRowException.class, () -> parser.parseJson(row));
    assertTrue(e.getMessage().startsWith(reasonStart.trim()), e.getMessage());
  }

  @Test
  void badCsvRowsSayWhy() {
    RowParser.CsvHeader header =
        RowParser.CsvHeader.parse("mobile_tel,request_status,last_update_datetime");
    assertEquals(
        "expected 3 columns as in the header, found 2",
        assertThrows(RowParser.BadRowException.class, () -> parser.parseCsv("1,0", header))
            .getMessage());
    assertTrue(
        assertThrows(
                RowParser.BadRowException.class,
                () -> parser.parseCsv("1,\"0,2024-03-20 10:00:00", header))
            .getMessage()
            .startsWith("invalid CSV"));
    assertEquals(
        "the CSV header lacks required column(s) request_status",
        assertThrows(
                RowParser.BadRowException.class,
                () -> RowParser.CsvHeader.parse("mobile_tel,last_update_datetime"))
            .getMessage());
  }

  @Test
  void jsonReaderReadsWholeDocumentsAndEscapes() {
    Object tree = JsonReader.parse("{\"a\": [1, -2.5e3, true, null], \"b\": \"\\u5f20\\n\"}");
    assertEquals("{a=[1, -2.5E+3, true, null], b=张\n}", tree.toString());
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":1,\"a\":2}"));
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":01}"));
  }

  @Test
  void jsonWriterEscapesWhatJsonNeedsAndKeepsChinese() {
    String json = new JsonWriter(32).field("n", "张\"\\\n\u0001").field("g", 30).end();
    assertEquals("{\"n\":\"张\\\"\\\\\\n\\u0001\",\"g\":30}", json);
    assertEquals("{n=张\"\\\n\u0001, g=30}", JsonReader.parse(json).toString());
  }

  @Test
  void unicodeWhiteSpaceIsTrimmedLikeAsciiSpace() {
    // U+3000 (ideographic space) and U+00A0 (no-break space) are what spreadsheets and IMEs leave
    Event e =
        parser.parseJson(
            "{\"mobile_tel\": \"13800000011\u3000\", \"request_status\": \"0\u3000\","
                + " \"user_id\": \"\u00a0u1\", \"last_update_datetime\": \"\u30002024-03-20 10:23:02\u00a0\"}");
    assertEquals("13800000011", e.mobile());
    assertEquals("0", e.requestStatus());
    assertEquals("u1", e.userId());
    assertEquals(millis("2024-03-20T10:23:02"), e.eventMillis());
    assertEquals(
        millis("2024-03-20T10:23:02"),
        parser.jsonEventMillis("{\"last_update_datetime\": \"2024-03-20 10:23:02\u3000\"}"));
    RowParser.CsvHeader header = RowParser.CsvHeader.parse("MOBILE_TEL\u00a0,REQUEST_STATUS,LAST_UPDATE_DATETIME");
    Event csv = parser.parseCsv("13800000011\u3000,0\u00a0,2024-03-20 10:23:02", header);
    assertEquals("13800000011", csv.mobile());
    assertEquals("0", csv.requestStatus());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\u0001", "\\u0000", "\\u001a", "\\u007f", "\\u0085"})
  void aControlCharacterInAFieldMakesABadRow(String escape) {
    // in a key part it would make two applicants one (key parts are joined with U+0001)
    for (String field : new String[] {"mobile_tel", "user_id", "client_name"}) {
      String json =
          "{\"mobile_tel\": \"13800000011\", \"request_status\": \"0\", \"last_update_datetime\":"
              + " \"2024-03-20 10:23:02\", \"" + field + "\": \"a" + escape + "b\"}";
      if (field.equals("mobile_tel")) {
        json = json.replace("\"mobile_tel\": \"13800000011\", ", "");
      }
      String j = json;
      RowParser.BadRowException bad = assertThrows(RowParser.BadRowException.class, () -> parser.parseJson(j));
      assertTrue(bad.getMessage().startsWith("field " + field + " holds the control character U+00"), bad.getMessage());
    }
    // tab and line breaks, which a quoted CSV field may hold, are not refused
    Event e =
        parser.parseJson(
            "{\"mobile_tel\": \"1\", \"request_status\": \"0\", \"last_update_datetime\":"
                + " \"2024-03-20 10:23:02\", \"client_name\": \"a\\tb\\r\\nc\"}");
    assertEquals("a\tb\r\nc", e.clientName());
  }

  @Test
  void aKeyRepeatedInsideAnIgnoredObjectIsIgnoredWithIt() {
    Event e =
        parser.parseJson(
            "{\"mobile_tel\": \"1\", \"request_status\": \"0\", \"last_update_datetime\":"
                + " \"2024-03-20 10:23:02\", \"ext\": {\"k\": 1, \"k\": 2, \"deep\": [{\"a\": 1, \"a\": 1}]}}");
    assertEquals("1", e.mobile());
  }
}
