package dev.stallwatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the embedded default prints about an alert shows its mobile masked. */
class AlertLinesTest {
  @Test
  void mobilesArePrintedMasked() {
    assertEquals("138****1234", AlertLines.maskMobile("13800001234"));
    assertEquals("****", AlertLines.maskMobile("1234"));
    String alert =
        "{\"route\":\"cc\",\"event_id\":\"019-1\",\"mobile\":\"13800001234\",\"user_id\":\"u1\",\"request_no\":\"R1\","
            + "\"rule\":\"video\",\"step_code\":\"8\",\"occur_date\":\"20240320\",\"occur_time\":\"10:53:02\"}";
    String line = AlertLines.brief(alert);
    assertFalse(line.contains("13800001234"), line);
    assertTrue(line.startsWith("cc 138****1234 20240320 10:53:02 video step 8"), line);
    assertFalse(AlertLines.describe(alert, 1500).contains("13800001234"));
  }
}
