package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.OrderRow;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderParserTest {
  private static final OrderParser PARSER = new OrderParser(ZoneId.of("Asia/Shanghai"));

  private static RowParser.Parsed<OrderRow> parse(String json) {
    return PARSER.parse(new Message(null, json, "/d/data_pack_order_info.jsonl:40"));
  }

  @Test
  void readsAConfirmedOrderWithStatusAsNumberOrText() {
    OrderRow expected = new OrderRow("9001", "cc-3", "100001", "ord-1", 1710815400000L, null, 3, 1710815400000L, 40);
    RowParser.Parsed<OrderRow> p =
        parse(
            "{\"id\":9001,\"leads_flow_event_id\":5,\"group_id\":2,\"CC_ID\":\"cc-3\",\"student_id\":100001,\"order_id\":\"ord-1\","
                + "\"confirm_date_time\":\"2024-03-19 10:30:00\",\"update_time\":1710815400000,\"status\":3}");
    assertEquals(expected, p.row());
    assertTrue(p.row().counts());
    assertEquals(
        expected,
        parse(
                "{\"id\":\"9001\",\"cc_id\":\"cc-3\",\"student_id\":\"100001\",\"order_id\":\"ord-1\","
                    + "\"confirm_date_time\":1710815400000,\"update_time\":\"20240319103000\",\"Status\":\" 3 \"}")
            .row());
  }

  @Test
  void aCancelledOrUnassignedOrderIsARowThatCountsNowhere() {
    OrderRow cancelled =
        parse(
                "{\"id\":9001,\"cc_id\":\"cc-3\",\"confirm_date_time\":1710815400000,\"canceled_date_time\":\"2024-03-19 08:00:00\","
                    + "\"update_time\":1710819000000,\"status\":\"4\"}")
            .row();
    assertEquals(new OrderRow("9001", "cc-3", null, null, 1710815400000L, 1710806400000L, 4, 1710819000000L, 40), cancelled);
    assertFalse(cancelled.counts());
    OrderRow unassigned = parse("{\"id\":9002,\"cc_id\":\"\",\"confirm_date_time\":1710815400000,\"update_time\":1,\"status\":3}").row();
    assertEquals(new OrderRow("9002", null, null, null, 1710815400000L, null, 3, 1, 40), unassigned);
    assertFalse(unassigned.counts());
    assertEquals(new OrderRow("9003", null, null, null, null, null, null, 1, 40), parse("{\"id\":9003,\"update_time\":1}").row());
  }

  @Test
  void anUnusableCancellationTimeIsDroppedNotTheRow() {
    assertEquals(
        new OrderRow("9001", "cc", null, null, 1710815400000L, null, 3, 1, 40),
        parse("{\"id\":9001,\"cc_id\":\"cc\",\"confirm_date_time\":1710815400000,\"canceled_date_time\":\"0000-00-00 00:00:00\",\"update_time\":1,\"status\":3}").row());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "17|not a JSON object: a number",
        "{\"cc_id\":\"cc\",\"update_time\":1}|id: missing",
        "{\"id\":1,\"cc_id\":\"cc\",\"status\":3}|update_time: missing",
        "{\"id\":1,\"update_time\":\"-5\"}|update_time: ",
        "{\"id\":1,\"update_time\":1,\"confirm_date_time\":\"yesterday\",\"status\":3}|confirm_date_time: time 'yesterday'",
        "{\"id\":1,\"update_time\":1,\"status\":\"CONFIRMED\"}|status: not a whole number: 'CONFIRMED'",
        "{\"id\":1,\"update_time\":1,\"status\":3.5}|status: not a whole number: '3.5'",
        "{\"id\":1,\"update_time\":1,\"status\":4294967299}|status: not a whole number: '4294967299'",
      })
  void aMissingOrUnusableNeededFieldIsADeadLetterNamingIt(String json, String reason) {
    RowParser.Parsed<OrderRow> p = parse(json);
    assertNull(p.row());
    assertTrue(p.reason().startsWith(reason), p.reason());
  }
}
