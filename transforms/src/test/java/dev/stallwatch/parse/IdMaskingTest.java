package dev.stallwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.BadRecord;
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

  @Test
  void aTruncatedJsonRowLosesTheIdItWasCutIn() {
    assertEquals("{\"mobile_tel\":\"1\",\"id_no\":\"***\"", IdMasking.mask(RawRow.json("t/0/1", "{\"mobile_tel\":\"1\",\"id_no\":\"4401011990")));
    assertEquals("{\"id_no\":\"***\"", IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":4401011990")));
    assertEquals(
        "{\"a\":1,\"Id_No\" :\t\"***\", \"mobile_tel\":\"13800000001\"}",
        IdMasking.mask(RawRow.json("t/0/1", "{\"a\":1,\"Id_No\" :\t\"440101199001010011\", \"mobile_tel\":\"13800000001\"}")));
  }

  @Test
  void anIdGivenAsAnObjectArrayOrEscapedKeyIsMaskedWhole() {
    assertEquals(
        "{\"id_no\":\"***\",\"m\":\"1\"}",
        IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":{\"v\":[\"4401011990010\", \"}\"]},\"m\":\"1\"}")));
    assertEquals("{\"id_no\":\"***\"", IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":[\"4401011990010\", {")));
    assertEquals(
        "{\"id\\u005fNO\":\"***\"}", IdMasking.mask(RawRow.json("t/0/1", "{\"id\\u005fNO\":\"4401011990010\"}")));
    assertEquals(
        "{\"id_no\":\"***\",\"note\":\"id_no\"}",
        IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":\"44010119\",\"note\":\"id_no\"}")));
  }

  @Test
  void aMegabyteIdIsMaskedWithoutExhaustingTheStack() {
    String id = "4".repeat(1 << 20);
    String masked = IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":\"" + id + "\",\"x\":1}"));
    assertEquals("{\"id_no\":\"***\",\"x\":1}", masked);
    String csv = IdMasking.mask(RawRow.csv("f:2", "1," + id, "MOBILE_TEL,ID_NO"));
    assertEquals("1,***", csv);
  }

  @Test
  void csvRowsOfTheWrongWidthStillLoseTheirIdColumn() {
    String header = "REQUEST_NO,ID_NO,NAME,MOBILE_TEL";
    assertEquals("R1,***", IdMasking.mask(RawRow.csv("f:2", "R1,4401011990", header)));
    assertEquals("R1,***,a,b,c,d", IdMasking.mask(RawRow.csv("f:2", "R1,4401011990,a,b,c,d", header)));
    // a column missing before the id shifts it: the id-shaped pattern still catches a whole id
    assertEquals("***,***,13800000001", IdMasking.mask(RawRow.csv("f:2", "440101199001010011,n,13800000001", header)));
    // a quote opened before the id's cell never closes: the rest of the row is masked
    assertEquals("R1,***", IdMasking.mask(RawRow.csv("f:2", "R1,\"open,44010119900101", "REQUEST_NO,NAME,ID_NO")));
    assertEquals("R1,\"a,b\",***,13800000001", IdMasking.mask(RawRow.csv("f:2", "R1,\"a,b\",\"440101\",13800000001", "REQUEST_NO,NAME,ID_NO,MOBILE_TEL")));
  }

  @Test
  void aDeadLetterKeepsAtMostItsLimitOfRawText() {
    String raw = "x".repeat(BadRecord.MAX_RAW + 10);
    BadRecord b = BadRecord.of(raw, "f:1", "r".repeat(5_000));
    assertTrue(b.raw().startsWith("x".repeat(BadRecord.MAX_RAW) + "... [cut: " + raw.length() + " characters in all]"));
    assertTrue(b.reason().length() < 1_100);
    assertFalse(BadRecord.of("short", "f:1", "r").raw().contains("cut"));
  }
}
