package dev.stallwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Event;
import dev.stallwatch.generate.JourneyGenerator;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RowParser#jsonEventMillis}, the cheap read of a row's time that the streaming job's
 * timestamp policy and late check use, gives every row the full parse accepts the full parse's
 * time; and the full parse refuses implausible years and oversized fields.
 */
class EventTimeExtractionTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private final RowParser parser = new RowParser(SHANGHAI);

  private static long millis(String local) {
    return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  @Test
  void readsTheTopLevelFieldInAnyCaseAndFormat() {
    assertEquals(
        millis("2024-03-20T10:23:02"),
        parser.jsonEventMillis(
            "{\"extra\":{\"last_update_datetime\":\"2030-01-01 00:00:00\"},"
                + "\"LAST_Update_DateTime\": 20240320102302 , \"mobile_tel\":\"1\"}"));
    assertEquals(
        millis("2024-03-20T10:23:02.500"),
        parser.jsonEventMillis("{\"last\\u005Fupdate_datetime\":\" 2024-03-20T10:23:02.5 \"}"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[{\"last_update_datetime\":\"2024-03-20 10:23:02\"}]",
        "\"2024-03-20 10:23:02\"",
        "{\"mobile_tel\":\"1\"}",
        "{\"last_update_datetime\":null}",
        "{\"last_update_datetime\":\"  \"}",
        "{\"last_update_datetime\":{\"t\":\"2024-03-20 10:23:02\"}}",
        "{\"last_update_datetime\":\"2024-02-30 10:23:02\"}",
        "{\"last_update_datetime\":\"9999-12-31 23:59:59\"}",
        "{\"last_update_datetime\":\"1970-01-01 08:00:00\"}",
        "{\"laſt_update_datetime\":\"2024-03-20 10:23:02\"}",
        "{\"x\":[1,,2],\"last_update_datetime\":\"2024-03-20 10:23:02\"}",
        "{\"last_update_datetime\":\"2024-03-20 10:2"
      })
  void aTimeThatCannotBeReadIsNoTime(String row) {
    assertEquals(RowParser.NO_TIME, parser.jsonEventMillis(row));
  }

  /**
   * Generated rows and mutations of them (cut short, keys in other cases or escaped, decoys nested
   * or spelled with a long s, times as numbers, padded or duplicated, implausible years, deep or
   * huge values before the time): wherever parseJson accepts the row, the cheap read answers its
   * time.
   */
  @Test
  void agreesWithTheFullParseOnEveryRowItAccepts() {
    Random random = new Random(7);
    List<Map<String, String>> rows =
        JourneyGenerator.builder().seed(7).applicants(400).badRowRate(0.05).build().rows();
    int accepted = 0;
    int refused = 0;
    for (Map<String, String> row : rows) {
      for (String text : variants(JourneyGenerator.toJson(row, random), random)) {
        Event event;
        try {
          event = parser.parseJson(text);
        } catch (RowParser.BadRowException e) {
          refused++;
          continue;
        }
        accepted++;
        assertEquals(event.eventMillis(), parser.jsonEventMillis(text), text);
      }
    }
    assertTrue(accepted > 5_000 && refused > 1_000, "accepted " + accepted + ", refused " + refused);
  }

  private static List<String> variants(String json, Random random) {
    List<String> out = new ArrayList<>();
    out.add(json);
    out.add(json.substring(0, random.nextInt(json.length())));
    String body = json.substring(1);
    out.add("{\"nested\":{\"last_update_datetime\":\"2031-05-05 05:05:05\",\"a\":[{}]}," + body);
    out.add("{\"laſt_update_datetime\":\"2032-01-01 00:00:00\"," + body);
    out.add("{\"deep\":" + "[".repeat(70) + "]".repeat(70) + "," + body);
    out.add("{\"deep\":" + "[".repeat(40) + "]".repeat(40) + "," + body);
    out.add("{\"big\":1e99999999999,\"long\":\"" + "x".repeat(10_000) + "\"," + body);
    out.add(json.replaceFirst("(?i)\"last_update_datetime\"", "\"last\\\\u005fupdate_DATETIME\""));
    out.add(json.replaceFirst("(?i)\"last_update_datetime\":\"([0-9]{14})\"", "\"last_update_datetime\":$1"));
    out.add(json.replaceFirst("(?i)(\"last_update_datetime\":\")([^\"]*)\"", "$1 \\\\t$2  \""));
    out.add(json.replaceFirst("(?i)(\"last_update_datetime\":\")([^\"]*)\"", "$1$2\",\"Last_Update_Datetime\":\"$2\""));
    out.add(json.replaceFirst("(?i)(\"last_update_datetime\":\")[0-9]{4}", "$11999"));
    out.add(json.replaceFirst("(?i)(\"last_update_datetime\":\")[0-9]{4}", "$12100"));
    out.add(json.replaceFirst("(?i)(\"last_update_datetime\":\")", "$1\\\\u0032"));
    return out;
  }

  @Test
  void timesOutsideThePlausibleYearsAreBadRows() {
    for (String time : List.of("9999-12-31 23:59:59", "2100-01-01 00:00:00", "1999-12-31 23:59:59", "0001-01-01 00:00:00")) {
      RowParser.BadRowException e =
          assertThrows(
              RowParser.BadRowException.class,
              () -> parser.parseJson("{\"mobile_tel\":\"1\",\"request_status\":\"0\",\"last_update_datetime\":\"" + time + "\"}"));
      assertEquals("last_update_datetime: '" + time + "' is not in the years 2000 to 2099", e.getMessage());
    }
    assertEquals(
        millis("2000-01-01T00:00:00"),
        parser.parseJson("{\"mobile_tel\":\"1\",\"request_status\":\"0\",\"last_update_datetime\":\"2000-01-01 00:00:00\"}").eventMillis());
    assertEquals(
        millis("2099-12-31T23:59:59"),
        parser.parseJson("{\"mobile_tel\":\"1\",\"request_status\":\"0\",\"last_update_datetime\":\"20991231235959\"}").eventMillis());
  }

  @Test
  void aFieldLongerThanItsColumnIsABadRow() {
    String name = "张".repeat(RowParser.maxLength("client_name"));
    String row = "{\"mobile_tel\":\"1\",\"request_status\":\"0\",\"last_update_datetime\":\"2024-03-20 10:23:02\",\"client_name\":\"%s\"}";
    assertEquals(name, parser.parseJson(String.format(row, name)).clientName());
    RowParser.BadRowException e =
        assertThrows(RowParser.BadRowException.class, () -> parser.parseJson(String.format(row, "x".repeat(1 << 20))));
    assertEquals("field client_name has 1048576 characters, more than 100", e.getMessage());
    RowParser.CsvHeader header = RowParser.CsvHeader.parse("mobile_tel,request_status,last_update_datetime,id_no");
    e =
        assertThrows(
            RowParser.BadRowException.class,
            () -> parser.parseCsv("1,0,2024-03-20 10:23:02," + "4".repeat(65), header));
    assertEquals("field id_no has 65 characters, more than 64", e.getMessage());
  }
}
