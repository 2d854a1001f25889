package dev.stallwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.RawRow;
import org.junit.jupiter.api.Test;

class IdMaskingTest {
  @Test
  void csvIdColumnIsMaskedWhateverItHolds() {
    RawRow row = RawRow.csv("f:2", "R1,x,\"a,b\",13800000001", "REQUEST_NO,ID_NO,NAME,MOBILE_TEL");
    assertEquals("R1,***,\"a,b\",13800000001", IdMasking.mask(row));
  }

  @Test
  void jsonIdKeyIsMaskedInAnyCaseAndAsANumber() {
    assertEquals(
        "{\"ID_NO\": \"***\", \"mobile_tel\": \"13800000001\"}",
        IdMasking.mask(RawRow.json("t/0/1", "{\"ID_NO\": \"44010119900101001X\", \"mobile_tel\": \"13800000001\"}")));
    assertEquals("{\"id_no\":\"***\"}", IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":440101199001010011}")));
  }

  @Test
  void idShapedTextIsMaskedEvenWhereTheRowCannotBeRead() {
    assertEquals(
        "{broken *** and ***, mobile 13800000001",
        IdMasking.mask(RawRow.json("t/0/1", "{broken 44010119900101001x and 440101900101001, mobile 13800000001")));
  }
}
