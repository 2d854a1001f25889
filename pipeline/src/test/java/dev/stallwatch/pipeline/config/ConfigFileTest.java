package dev.stallwatch.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // each bound, one past it (accepted at the bound: acceptedAtTheBounds)
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 10081}]}| c.json: rules[0].gapMinutes: must be at most 10080 (7 days), not 10081",
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 200000000000}]}| c.json: rules[0].gapMinutes: must be at most 10080 (7 days), not 200000000000",
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 1e400}]}| c.json: rules[0].gapMinutes: must be at most 10080 (7 days)",
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 0}]}| c.json: rules[0].gapMinutes: expected a whole, positive number",
        "{\"allowedLateness\": \"PT168H0.001S\"}| c.json: allowedLateness: must be at most P7D, not 'PT168H0.001S'",
        "{\"allowedLateness\": \"P8D\"}| c.json: allowedLateness: must be at most P7D, not 'P8D'",
        "{\"allowedLateness\": \"PT9223372036854775807S\"}| c.json: allowedLateness: must be at most P7D, not 'PT9223372036854775807S'",
        "{\"allowedLateness\": \"P106751991167300D\"}| c.json: allowedLateness: must be at most P7D, not 'P106751991167300D'",
        "{\"allowedLateness\": \"-PT1S\"}| c.json: allowedLateness: must not be negative",
        "{\"allowedLateness\": \"PT0.0001S\"}| c.json: allowedLateness: must be whole milliseconds, not 'PT0.0001S'",
        "{\"allowedLateness\": \"soon\"}| c.json: allowedLateness: expected an ISO-8601 duration such as PT2M, not 'soon'",
        "{\"allowedLateness\": \"P1W\"}| c.json: allowedLateness: expected an ISO-8601 duration such as PT2M, not 'P1W'",
        "{\"oncePer\": \"P366DT0.001S\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration from PT0.001S to P366D, not 'P366DT0.001S'",
        "{\"oncePer\": \"P200000000D\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration from PT0.001S to P366D, not 'P200000000D'",
        "{\"oncePer\": \"PT9223372036854775807S\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration from PT0.001S",
        "{\"oncePer\": \"P106751991167300D\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration from PT0.001S",
        "{\"oncePer\": \"-PT1S\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration from PT0.001S",
        "{\"oncePer\": \"PT0.0009S\"}| c.json: oncePer: expected day, lifetime or an ISO-8601 duration from PT0.001S",
        // topics
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"t\"}, {\"name\": \"b\", \"eventId\": \"2\", \"topic\": \"t\"}]}| c.json: routes a and b share topic t; each route needs a topic of its own",
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"\"}]}| c.json: routes[0].topic: expected a topic name",
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"a b\"}]}| c.json: routes[0].topic: expected a topic name",
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"}]}| c.json: routes[0].topic: expected a topic name",
        "{| c.json: not valid JSON"
      })
  void errorsNameTheKeyAndTheProblem(String json, String messageStart) {
    ConfigFile.InvalidConfigException e =
        assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.parse(json, "c.json"));
    assertEquals(true, e.getMessage().startsWith(messageStart.trim()), e.getMessage());
  }
  /** Each bound of the table above, at the bound: accepted. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 10080}]}",
        "{\"rules\": [{\"name\": \"x\", \"classes\": [\"VIDEO\"], \"gapMinutes\": 1}]}",
        "{\"allowedLateness\": \"P7D\"}",
        "{\"allowedLateness\": \"PT168H\"}",
        "{\"allowedLateness\": \"PT0S\"}",
        "{\"allowedLateness\": \"PT0.001S\"}",
        "{\"oncePer\": \"P366D\"}",
        "{\"oncePer\": \"PT0.001S\"}",
        "{\"oncePer\": \"PT1.5S\"}",
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"}]}",
        "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"a.b_c-$1\"}]}"
      })
  void acceptedAtTheBounds(String json) {
    ConfigFile.parse(json, "c.json");
  }

  /** Whatever duration text the reader is given, the answer is a config or one line naming the key. */
  @Test
  void noDurationTextThrowsAnythingButTheOneLineError() {
    String[] texts = {
      "PT9223372036854775807S", "PT-9223372036854775808S", "PT9223372036854775807.999999999S", "P106751991167300D",
      "-P106751991167300D", "P106751991167299DT23H59M59S", "PT2562047788015215H", "PT153722867280912930M",
      "-PT1S", "PT0S", "-PT0S", "PT0.5S", "PT0.0005S", "PT1.000000001S", "P1DT-1S", "PT-0.001S", "P0D", "PT",
      "P", "", "1", "PT1", "PT1H1H", "P1Y", "P1M", "pt5m", "PT5M ", "PT1e3S", "PT\u0661S", "NaN"
    };
    for (String key : new String[] {"allowedLateness", "oncePer"}) {
      for (String t : texts) {
        String json = "{\"" + key + "\": \"" + t + "\"}";
        try {
          StallConfig c = ConfigFile.parse(json, "c.json").stall();
          assertTrue(c.allowedLateness().getMillis() <= StallConfig.MAX_ALLOWED_LATENESS.getMillis(), json);
        } catch (ConfigFile.InvalidConfigException e) {
          assertTrue(e.getMessage().startsWith("c.json: " + key + ": "), json + " -> " + e.getMessage());
          assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
      }
    }
  }
}
