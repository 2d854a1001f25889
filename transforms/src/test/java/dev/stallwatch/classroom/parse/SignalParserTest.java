package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalRule;
import dev.stallwatch.classroom.domain.SignalRules;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SignalParserTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final SignalParser PARSER = new SignalParser(SignalRules.defaults(), SHANGHAI);
  /** 2024-03-20 10:00:00.123 in Shanghai. */
  private static final long T = 1710900000123L;

  private static String msgData(String targetId, String targetType, String action, String subAction) {
    return "{\"target_id\":\"" + targetId + "\",\"target_type\":\"" + targetType + "\",\"action\":\"" + action
        + "\",\"sub_action\":\"" + subAction + "\",\"page_index\":3}";
  }

  private static String message(String msgData) {
    return "{\"createTime\":\"2024-03-20 10:00:01\",\"data\":{\"userid\":\"u1\",\"roomId\":\"88\",\"timestamp\":" + T
        + ",\"role\":\"2\",\"msgid\":\"305\",\"msg\":{\"msgtype\":\"116\",\"msg_data\":" + msgData + "}}}";
  }

  private static SignalParser.Outcome parse(String value) {
    return PARSER.parse(new Message("k1", value, "timeline_client_topic-0@1"));
  }

  private static Signal signal(String value) {
    SignalParser.Outcome o = parse(value);
    assertInstanceOf(SignalParser.Parsed.class, o, () -> "not a signal: " + o);
    return ((SignalParser.Parsed) o).signal();
  }

  private static String dead(String value) {
    SignalParser.Outcome o = parse(value);
    assertInstanceOf(SignalParser.Dead.class, o, () -> "not a dead letter: " + o);
    return ((SignalParser.Dead) o).reason();
  }

  private static void ignored(String value) {
    SignalParser.Outcome o = parse(value);
    assertInstanceOf(SignalParser.Ignored.class, o, () -> "not ignored: " + o);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SHAPE_MOVE, x, shape, move, ''",
    "SHAPE_MOVE, '', shape, move, anything",
    "SHAPE_HOVER, x, shape, mouse, over",
    "SHAPE_DRAW, '', shape, add, ''",
    "AUDIO_PLAY, a1, template, audio, start",
    "AUDIO_PAUSE, '', template, audio, pause",
    "MATCH_WRONG, match, template, match, drop:wrong",
    "MATCH_CORRECT, match, template, match, drop:correct",
  })
  void everyDefaultRuleNamesItsEvent(String event, String targetId, String targetType, String action, String subAction) {
    Signal s = signal(message(msgData(targetId, targetType, action, subAction)));
    assertEquals(event, s.event());
    assertEquals(targetId, s.targetId());
    assertEquals(subAction, s.subAction());
  }

  @ParameterizedTest(name = "{0}/{1}/{2}/{3}")
  @CsvSource({
    "'', shape, mouse, out",
    "'', shape, Move, ''",
    "'', Shape, move, ''",
    "'', template, audio, stop",
    "other, template, match, drop:wrong",
    "match, template, match, drop",
    "'', slide, move, ''",
    "'', '', '', ''",
  })
  void aSignalNoRuleMatchesIsIgnored(String targetId, String targetType, String action, String subAction) {
    ignored(message(msgData(targetId, targetType, action, subAction)));
  }

  @Test
  void theOutputIsTheFlatValueWithTheEventTime() {
    Signal s = signal(message(msgData("", "shape", "move", "")));
    assertEquals("k1", s.key());
    assertEquals("timeline_client_topic-0@1", s.origin());
    assertEquals(
        "{\"messageCreateTime\":\"2024-03-20 10:00:01\",\"timeStamp\":1710900000123,\"userId\":\"u1\",\"roomId\":\"88\","
            + "\"role\":\"2\",\"msgId\":\"305\",\"msgType\":\"116\",\"targetId\":\"\",\"targetType\":\"shape\","
            + "\"action\":\"move\",\"subAction\":\"\",\"pageIndex\":\"3\",\"event\":\"SHAPE_MOVE\"}",
        s.toJson());
  }

  @Test
  void theFirstMatchingRuleWins() {
    SignalParser parser =
        new SignalParser(
            SignalRules.of(
                List.of(new SignalRule("SPECIFIC", "", "shape", "move", "fast"), new SignalRule("ANY_MOVE", "", "", "move", ""))),
            SHANGHAI);
    SignalParser.Outcome fast = parser.parse(new Message(null, message(msgData("", "shape", "move", "fast")), "o"));
    SignalParser.Outcome slow = parser.parse(new Message(null, message(msgData("", "slide", "move", "slow")), "o"));
    assertEquals("SPECIFIC", ((SignalParser.Parsed) fast).signal().event());
    assertEquals("ANY_MOVE", ((SignalParser.Parsed) slow).signal().event());
    assertEquals(null, ((SignalParser.Parsed) fast).signal().key());
  }

  @Test
  void namesAreCaseInsensitiveAndValuesTrimmed() {
    Signal s =
        signal(
            "{\"CREATETIME\":\" c \",\"Data\":{\"UserID\":\" u1 \",\"ROOMID\":88,\"TimeStamp\":\"" + T
                + "\",\"ROLE\":2,\"MsgId\":305,\"MSG\":{\"MsgType\":116,\"Msg_Data\":{\"Target_Type\":\" shape \","
                + "\"ACTION\":\"move\",\"Page_Index\":\" 7 \"}}}}");
    assertEquals("c", s.messageCreateTime());
    assertEquals("u1", s.userId());
    assertEquals("88", s.roomId());
    assertEquals(T, s.timeStamp());
    assertEquals("SHAPE_MOVE", s.event());
    assertEquals("7", s.pageIndex());
  }

  @Test
  void nestedObjectsMayBeJsonStringsAtEachLevel() {
    String msgData = "{\\\"target_type\\\":\\\"template\\\",\\\"action\\\":\\\"audio\\\",\\\"sub_action\\\":\\\"start\\\"}";
    String asStrings =
        "{\"data\":\"{\\\"userid\\\":\\\"u1\\\",\\\"roomId\\\":\\\"88\\\",\\\"timestamp\\\":" + T
            + ",\\\"role\\\":2,\\\"msgid\\\":305,\\\"msg\\\":\\\"{\\\\\\\"msgtype\\\\\\\":116,\\\\\\\"msg_data\\\\\\\":"
            + "\\\\\\\"" + msgData.replace("\\\"", "\\\\\\\\\\\\\\\"") + "\\\\\\\"}\\\"}\"}";
    Signal s = signal(asStrings);
    assertEquals("AUDIO_PLAY", s.event());
    assertEquals("", s.messageCreateTime());
    String msgAsString =
        "{\"data\":{\"userid\":\"u1\",\"roomId\":\"88\",\"timestamp\":" + T
            + ",\"role\":2,\"msgid\":305,\"msg\":\"{\\\"msgtype\\\":116,\\\"msg_data\\\":" + msgData + "}\"}}";
    assertEquals("AUDIO_PLAY", signal(msgAsString).event());
    String onlyMsgDataAsString =
        "{\"data\":{\"userid\":\"u1\",\"roomId\":\"88\",\"timestamp\":" + T
            + ",\"role\":2,\"msgid\":305,\"msg\":{\"msgtype\":116,\"msg_data\":\"" + msgData + "\"}}}";
    assertEquals("AUDIO_PLAY", signal(onlyMsgDataAsString).event());
  }

  @Test
  void numbersAsTextAndTimesInEachForm() {
    String base = message(msgData("", "shape", "add", ""));
    assertEquals("SHAPE_DRAW", signal(base.replace("\"msgid\":\"305\"", "\"msgid\":305.0")).event());
    assertEquals("SHAPE_DRAW", signal(base.replace("\"msgid\":\"305\"", "\"msgid\":\" 305.00 \"")).event());
    assertEquals("SHAPE_DRAW", signal(base.replace("\"role\":\"2\"", "\"role\":2")).event());
    assertEquals("305", signal(base.replace("\"msgid\":\"305\"", "\"msgid\":\"3.05e2\"")).msgId());
    assertEquals(T, signal(base.replace("\"timestamp\":" + T, "\"timestamp\":\"" + T + "\"")).timeStamp());
    assertEquals(
        T, signal(base.replace("\"timestamp\":" + T, "\"timestamp\":\"2024-03-20 10:00:00.123\"")).timeStamp());
    assertEquals(
        T - 123, signal(base.replace("\"timestamp\":" + T, "\"timestamp\":\"20240320100000\"")).timeStamp());
    assertEquals("2", signal(base.replace("\"role\":\"2\"", "\"role\":\"2.0\"")).role());
  }

  @Test
  void otherMessagesAreIgnoredEvenWithoutTheFieldsASignalNeeds() {
    ignored("{\"data\":{\"msgid\":\"999\"}}");
    ignored("{\"data\":{\"msgid\":\"305\",\"role\":\"1\",\"msg\":{\"msgtype\":116}}}");
    ignored("{\"data\":{\"msgid\":\"305\",\"role\":\"2\",\"msg\":{\"msgtype\":\"117\"}}}");
    ignored("{\"data\":{\"msgid\":\"chat\"}}");
    ignored("{\"data\":{\"role\":\"1\"}}"); // msgid missing, but role says it is no student's
    ignored("{\"data\":{\"msgid\":305,\"role\":2,\"msg\":{\"msgtype\":116}}}"); // no msg_data: no rule
    ignored(" \t ");
    ignored(message(msgData("", "shape", "move", "")).replace("\"role\":\"2\"", "\"role\":\"teacher\""));
  }

  @Test
  void eachDeadLetterReasonNamesItsField() {
    String ok = message(msgData("", "shape", "move", ""));
    assertTrue(dead("{\"data\":").startsWith("not JSON: "));
    assertEquals("not a JSON object: an array", dead("[1,2]"));
    assertEquals("not a JSON object: a string", dead("\"text\""));
    assertEquals("data: missing", dead("{\"createTime\":\"x\"}"));
    assertEquals("data: missing", dead("{\"data\":null}"));
    assertEquals("data: not an object but a number", dead("{\"data\":5}"));
    assertTrue(dead("{\"data\":\"{oops\"}").startsWith("data: a string that is not JSON"));
    assertEquals("data.msgid: missing", dead(ok.replace("\"msgid\":\"305\",", "")));
    assertEquals("data.msgid: missing", dead(ok.replace("\"msgid\":\"305\"", "\"msgid\":\" \"")));
    assertEquals("data.msgid: not a text but an array", dead(ok.replace("\"msgid\":\"305\"", "\"msgid\":[305]")));
    assertEquals("data.msg: missing", dead("{\"data\":{\"msgid\":305,\"role\":2}}"));
    assertEquals("data.msg: not an object but a boolean", dead("{\"data\":{\"msgid\":305,\"msg\":true}}"));
    assertEquals("data.msg.msgtype: missing", dead(ok.replace("\"msgtype\":\"116\",", "")));
    assertEquals("data.role: missing", dead(ok.replace("\"role\":\"2\",", "")));
    assertEquals(
        "data.msg.msg_data: not an object but a number",
        dead(ok.replace(msgData("", "shape", "move", ""), "42")));
    assertEquals("data.timestamp: missing", dead(ok.replace("\"timestamp\":" + T + ",", "")));
    assertEquals("data.timestamp: missing", dead(ok.replace("\"timestamp\":" + T, "\"timestamp\":\"\"")));
    assertEquals("data.timestamp: not a time: '0'", dead(ok.replace("\"timestamp\":" + T, "\"timestamp\":0")));
    assertEquals(
        "data.timestamp: time 'yesterday' is not yyyy-MM-dd HH:mm:ss[.f], yyyy-MM-ddTHH:mm:ss[.f] or yyyyMMddHHmmss",
        dead(ok.replace("\"timestamp\":" + T, "\"timestamp\":\"yesterday\"")));
    assertEquals(
        "data.timestamp: not a time: after 9999-12-31",
        dead(ok.replace("\"timestamp\":" + T, "\"timestamp\":253402300800000")));
    assertEquals("data.userid: missing", dead(ok.replace("\"userid\":\"u1\",", "")));
    assertEquals("data.userid: missing", dead(ok.replace("\"userid\":\"u1\"", "\"userid\":\"\\u3000\"")));
    assertEquals(
        "data.userid: control character U+0000 at 2", dead(ok.replace("\"userid\":\"u1\"", "\"userid\":\"u\\u00001\"")));
    assertEquals("data.roomId: missing", dead(ok.replace("\"roomId\":\"88\",", "")));
    assertEquals(
        "createTime: not a text but an object",
        dead(ok.replace("\"createTime\":\"2024-03-20 10:00:01\"", "\"createTime\":{}")));
  }

  @Test
  void aPossibleSignalMissingAFilterFieldIsADeadLetterOthersAreIgnored() {
    // msgtype and role agree with a signal; msgid is missing: it might be one
    assertEquals("data.msgid: missing", dead("{\"data\":{\"role\":2,\"msg\":{\"msgtype\":116}}}"));
    // msgtype says it is another kind of message: its missing msgid does not matter
    ignored("{\"data\":{\"role\":2,\"msg\":{\"msgtype\":200}}}");
  }
}
