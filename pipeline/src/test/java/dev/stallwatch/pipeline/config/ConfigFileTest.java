package dev.stallwatch.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stallwatch.domain.PeriodScope;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.StallConfig;
import java.time.LocalTime;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {
  @Test
  void emptyFileIsSpecDefaults() {
    assertEquals(JobConfig.defaults(), ConfigFile.parse("{}", "c.json"));
  }

  @Test
  void everyKeyIsRead() {
    StallConfig c =
        ConfigFile.parse(
            "{\"timeZone\": \"UTC\", \"allowedLateness\": \"PT2M\", \"oncePer\": \"PT6H\","
                + " \"sendWindow\": {\"open\": \"09:15\", \"close\": \"16:15\", \"policy\": \"defer\"},"
                + " \"rules\": [{\"name\": \"id\", \"classes\": [\"ID_UPLOAD\"], \"gapMinutes\": 8, \"label\": \"上传\"},"
                + "            {\"name\": \"rest\", \"classes\": [\"VIDEO\", \"SET_PASSWORD\"], \"gapMinutes\": 15}],"
                + " \"routes\": [{\"name\": \"sms\", \"eventId\": 7, \"excludeBlacklist\": true, \"topic\": \"t\"}]}",
            "c.json").stall();
    assertEquals("UTC", c.zoneId());
    assertEquals(Duration.standardMinutes(2), c.allowedLateness());
    assertEquals(PeriodScope.fixed(Duration.standardHours(6)), c.oncePer());
    assertEquals(
        SendWindow.of(LocalTime.of(9, 15), LocalTime.of(16, 15), SendWindow.Policy.DEFER),
        c.sendWindow().orElseThrow());
    assertEquals(15, c.ruleFor("VIDEO").gapMinutes());
    assertEquals("7", c.route("sms").eventId());
    assertEquals("开户流程中断8min转化-sms（上传）", c.route("sms").eventName(c.rule("id")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"timeZone\": \"Mars/Base\"}| c.json: timeZone: unknown time zone 'Mars/Base'",
        "{\"oncePer\": \"week\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration",
        "{\"oncePer\": \"PT0S\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration",
        "{\"sendWindow\": {\"open\": \"9h\", \"close\": \"16:15\", \"policy\": \"DROP\"}}| c.json: sendWindow.open: expected a local time",
        "{\"sendWindow\": {\"open\": \"09:00\", \"close\": \"16:15\"}}| c.json: sendWindow.policy: missing",
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"NOPE\"], \"gapMinutes\": 5}]}| c.json: rule x names class NOPE, which the catalog does not have",
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 2.5}]}| c.json: rules[0].gapMinutes: expected a whole, positive number",
        "{\"routes\": [{\"name\": \"a b\", \"eventId\": \"1\"}]}| c.json: routes[0]: route name 'a b'",
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"excludeBlacklist\": \"yes\"}]}| c.json: routes[0].excludeBlacklist: expected true or false",
        "{\"colour\": 1}| c.json: colour: unknown key",
        "{\"allowedLateness\": \"-PT1M\"}| c.json: allowedLateness: must not be negative",
        "[1]| c.json: the top level: expected an object",
        "{| c.json: not valid JSON"
      })
  void errorsNameTheKeyAndTheProblem(String json, String messageStart) {
    ConfigFile.InvalidConfigException e =
        assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.parse(json, "c.json"));
    assertEquals(true, e.getMessage().startsWith(messageStart.trim()), e.getMessage());
  }
}
