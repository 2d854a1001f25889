package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.AvSample;
import dev.stallwatch.classroom.domain.Message;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AvParserTest {
  private static final AvParser PARSER = new AvParser(ZoneId.of("Asia/Shanghai"));
  private static final long T = 1710900000123L;

  private static AvParser.Parsed parse(String json) {
    return PARSER.parse(new Message(null, json, "agora_record-0@1"));
  }

  @Test
  void oneRecordGivesAnAudioAndAVideoSample() {
    AvParser.Parsed p =
        parse(
            "{\"classroom_id\":\"c1\",\"User_Type\":\" Student \",\"user_id\":\"42\",\"agora_channel_id\":9,\"event\":\"E\","
                + "\"agora_videoState\":\"{\\\"fr\\\":\\\"15\\\",\\\"uid\\\":7}\",\"agora_audioState\":{\"lost\":3,\"uid\":\"8\"},"
                + "\"messageCreateTime\":"
                + T
                + "}");
    assertNull(p.bad());
    assertNull(p.ignored());
    assertEquals(
        List.of(
            new AvSample(new AvSample.Key(42, 9, "c1", "student", "E_AUDIO_STATE", 8), 3, T),
            new AvSample(new AvSample.Key(42, 9, "c1", "student", "E_VIDEO_STATE", 7), 15, T)),
        p.samples());
  }

  @Test
  void missingKeyFieldsAreMinusOne() {
    AvParser.Parsed p = parse("{\"user_type\":\"student\",\"classroom_id\":\"\",\"agora_audioState\":{\"lost\":0},\"messageCreateTime\":" + T + "}");
    assertEquals(List.of(new AvSample(new AvSample.Key(-1, -1, "-1", "student", "-1_AUDIO_STATE", -1), 0, T)), p.samples());
  }

  @Test
  void negativeOrMissingMeasuresGiveNoSampleAndNoSampleIsIgnored() {
    AvParser.Parsed p =
        parse("{\"user_type\":\"student\",\"agora_audioState\":{\"lost\":-1,\"uid\":1},\"agora_videoState\":{\"fr\":\"9\"},\"messageCreateTime\":" + T + "}");
    assertEquals(1, p.samples().size());
    assertEquals("-1_VIDEO_STATE", p.samples().get(0).key().event());
    AvParser.Parsed none =
        parse("{\"user_type\":\"student\",\"agora_audioState\":{\"lost\":-1},\"agora_videoState\":\" \",\"messageCreateTime\":" + T + "}");
    assertTrue(none.isIgnored());
    assertTrue(none.samples().isEmpty());
  }

  @Test
  void whoIsNotAStudentIsIgnoredWhateverElseTheRecordHolds() {
    assertEquals("user_type: not student", parse("{\"user_type\":\"teacher\",\"agora_audioState\":{\"lost\":1}}").ignored());
    assertEquals("user_type: not student", parse("{\"agora_audioState\":{\"lost\":1},\"messageCreateTime\":" + T + "}").ignored());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"student\"|not a JSON object: a string",
        "{\"user_type\":\"student\",\"agora_audioState\":{\"lost\":1}}|messageCreateTime: missing",
        "{\"user_type\":\"student\",\"messageCreateTime\":\"later\"}|messageCreateTime: time 'later' is not yyyy-MM-dd HH:mm:ss[.f], yyyy-MM-ddTHH:mm:ss[.f] or yyyyMMddHHmmss",
        "{\"user_type\":\"student\",\"user_id\":\"u9\",\"messageCreateTime\":1710900000123}|user_id: not a whole number: 'u9'",
        "{\"user_type\":\"student\",\"agora_channel_id\":1.5,\"messageCreateTime\":1710900000123}|agora_channel_id: not a whole number: '1.5'",
        "{\"user_type\":\"student\",\"agora_audioState\":{\"lost\":\"x\"},\"messageCreateTime\":1710900000123}|agora_audioState.lost: not a whole number: 'x'",
        "{\"user_type\":\"student\",\"agora_videoState\":{\"fr\":1,\"uid\":\"u\"},\"messageCreateTime\":1710900000123}|agora_videoState.uid: not a whole number: 'u'",
        "{\"user_type\":\"student\",\"agora_videoState\":[1],\"messageCreateTime\":1710900000123}|agora_videoState: not an object but an array",
      })
  void deadLettersNameTheFieldPath(String json, String reason) {
    AvParser.Parsed p = parse(json);
    assertEquals(reason, p.bad());
    assertTrue(p.samples().isEmpty());
  }
}
