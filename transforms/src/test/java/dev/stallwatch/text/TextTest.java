package dev.stallwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.parse.DimensionCsv;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void codePointOrderIsUtf8ByteOrder() {
    List<String> texts =
        List.of("", "a", "ab", "b", "403", "张三", "李四", "\uffe5", "\ud83d\ude00", "a\ud83d\ude00", "a\uffff", "\u00e9");
    for (String x : texts) {
      for (String y : texts) {
        int bytes = java.util.Arrays.compareUnsigned(
            x.getBytes(java.nio.charset.StandardCharsets.UTF_8), y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Integer.signum(bytes), Integer.signum(Text.compareCodePoints(x, y)), x + " against " + y);
      }
    }
    // where String.compareTo (UTF-16 units) disagrees: U+FFE5 against U+1F600
    assertTrue("\uffe5".compareTo("\ud83d\ude00") > 0);
    assertTrue(Text.compareCodePoints("\uffe5", "\ud83d\ude00") < 0);
  }

  @Test
  void blankMeansWhiteSpaceNotEmptyAfterTrim() {
    assertTrue(Text.isBlank(""));
    assertTrue(Text.isBlank(" \t\r\n\u000b\f\u3000\u00a0\u2007\u202f\u0085"));
    // String.trim() empties each of these; none is white space
    assertFalse(Text.isBlank("\u0000"));
    assertFalse(Text.isBlank("\u001a"));
    assertFalse(Text.isBlank(" \u0000"));
    assertFalse(Text.isBlank("\u001f"));
  }

  @Test
  void stripRemovesUnicodeWhiteSpaceAndKeepsControls() {
    assertEquals("0", Text.strip("\u3000 0\u00a0\t"));
    assertEquals("\u00000", Text.strip(" \u00000 "));
    assertEquals("a b", Text.strip("a b"));
    String same = "abc";
    assertTrue(same == Text.strip(same));
  }

  @Test
  void controlCharactersOtherThanTabAndLineBreaksAreFound() {
    assertEquals(-1, Text.firstControl("a\tb\r\nc"));
    assertEquals(1, Text.firstControl("a\u0001b"));
    assertEquals(0, Text.firstControl("\u0000"));
    assertEquals(2, Text.firstControl("ab\u007f"));
    assertEquals(0, Text.firstControl("\u009b"));
    assertEquals("U+0001", Text.codePoint('\u0001'));
  }

  @Test
  void idShapedRunsAreMaskedWholeAndOtherTextKept() {
    assertEquals("id *** permit *** passport *** old ***", IdShapes.mask("id 44010119900101001X permit H60123456 passport E12345678 old 440101900101001"));
    assertEquals("***", IdShapes.mask("军字第1234567号"));
    assertEquals("2024-03-20 10:23:02, step 22109, AB12345", IdShapes.mask("2024-03-20 10:23:02, step 22109, AB12345"));
    assertEquals("*** and ***", IdShapes.mask("\uff11\uff12\uff13\uff14\uff15\uff16 and \\u0045\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036"));
  }

  @Test
  void aSpreadsheetsEmptyTrailingColumnsAreNoColumns() {
    Blacklist b =
        DimensionCsv.blacklist(
            List.of("id_no,mobile_tel,,", "E12345678,13800000001,,", " 110101199001010011\u3000,,", "", ",13800000002"), "bl.csv");
    assertEquals(4, b.size());
    ChannelNames c = DimensionCsv.channels(List.of("channel_code,channel_name,", "14781,同花顺,", "1\u3000,A"), "ch.csv");
    assertEquals("同花顺", c.asMap().get("14781"));
    assertEquals("A", c.asMap().get("1"));
    // a cell with data beyond the header's named columns is still an error
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> DimensionCsv.blacklist(List.of("id_no,,", "a,b"), "bl.csv"));
    assertEquals("bl.csv:2: expected 1 columns, found 2", e.getMessage());
  }
}
