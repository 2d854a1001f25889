package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QosEvent;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QosParserTest {
  private static final QosParser PARSER = new QosParser(ZoneId.of("Asia/Shanghai"));

  private static QosParser.Parsed parse(String json) {
    return PARSER.parse(new Message(null, json, "qos_log-0@1"));
  }

  @Test
  void readsEveryFieldWithNestedObjectsGivenAsStrings() {
    QosParser.Parsed p =
        parse(
            "{\"Classroom_Id\":\" c1 \",\"user_type\":\"student\",\"USER_ID\":\"42\",\"event_time\":1710900000000,"
                + "\"sub_event\":\"PPT_SUCCESS\",\"extra\":\"{\\\"data_time\\\":\\\"1710900001234\\\",\\\"msg\\\":\\\"{\\\\\\\"pptIndex\\\\\\\":7}\\\"}\"}");
    assertNull(p.reason());
    assertEquals(new QosEvent("c1", "student", 42, 1710900000000L, "PPT_SUCCESS", 1710900001234L, "7"), p.event());
    assertTrue(p.event().isSuccess());
  }

  @Test
  void optionalFieldsMayBeMissingAndABrokenMsgOnlyLosesThePptIndex() {
    QosParser.Parsed p =
        parse("{\"classroom_id\":7,\"user_id\":42.0,\"event_time\":\"2024-03-20 10:00:00\",\"extra\":{\"data_time\":1710900001234,\"msg\":\"{oops\"}}");
    assertEquals(new QosEvent("7", "", 42, 1710900000000L, "", 1710900001234L, ""), p.event());
    assertTrue(!p.event().isSuccess());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[1]|not a JSON object: an array",
        "{\"classroom_id\":\"c\",\"event_time\":1,\"extra\":{\"data_time\":1}}|user_id: missing",
        "{\"user_id\":\"u1\",\"classroom_id\":\"c\",\"event_time\":1,\"extra\":{\"data_time\":1}}|user_id: not a whole number: 'u1'",
        "{\"user_id\":1,\"classroom_id\":\" \",\"event_time\":1,\"extra\":{\"data_time\":1}}|classroom_id: missing",
        "{\"user_id\":1,\"classroom_id\":\"c\",\"event_time\":1}|extra.data_time: missing",
        "{\"user_id\":1,\"classroom_id\":\"c\",\"event_time\":1,\"extra\":{}}|extra.data_time: missing",
        "{\"user_id\":1,\"classroom_id\":\"c\",\"event_time\":1,\"extra\":5}|extra: not an object but a number",
        "{\"user_id\":1,\"classroom_id\":\"c\",\"event_time\":1,\"extra\":{\"data_time\":0}}|extra.data_time: not a time: '0'",
        "{\"user_id\":1,\"classroom_id\":\"c\",\"extra\":{\"data_time\":1}}|event_time: missing",
      })
  void eachNeededFieldMissingOrUnusableIsADeadLetterNamingIt(String json, String reason) {
    QosParser.Parsed p = parse(json);
    assertNull(p.event());
    assertEquals(reason, p.reason());
  }

  @Test
  void aStringThatIsNotJsonIsNamedWithItsPath() {
    QosParser.Parsed p = parse("{\"user_id\":1,\"classroom_id\":\"c\",\"event_time\":1,\"extra\":\"{not\"}");
    assertTrue(p.reason().startsWith("extra: a string that is not JSON"), p.reason());
    assertTrue(parse("{\"user_id\":1,\"classroom_id\":\"c\",\"event_time\":1,\"extra\":{\"data_time\":\"soon\"}}").reason().startsWith("extra.data_time: time 'soon'"));
  }
}
