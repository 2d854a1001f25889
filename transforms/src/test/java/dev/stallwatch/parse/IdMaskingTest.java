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
    assertEquals("R1,***,\"a,b\",***", IdMasking.mask(row));
  }

  @Test
  void jsonIdKeyIsMaskedInAnyCaseAndAsANumber() {
    assertEquals(
        "{\"ID_NO\": \"***\", \"mobile_tel\": \"***\"}",
        IdMasking.mask(RawRow.json("t/0/1", "{\"ID_NO\": \"44010119900101001X\", \"mobile_tel\": \"13800000001\"}")));
    assertEquals("{\"id_no\":\"***\"}", IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":440101199001010011}")));
  }

  @Test
  void idShapedTextIsMaskedEvenWhereTheRowCannotBeRead() {
    assertEquals(
        "{broken *** and ***, mobile ***",
        IdMasking.mask(RawRow.json("t/0/1", "{broken 44010119900101001x and 440101900101001, mobile 13800000001")));
  }

  @Test
  void aTruncatedJsonRowLosesTheIdItWasCutIn() {
    assertEquals("{\"mobile_tel\":\"1\",\"id_no\":\"***\"", IdMasking.mask(RawRow.json("t/0/1", "{\"mobile_tel\":\"1\",\"id_no\":\"4401011990")));
    assertEquals("{\"id_no\":\"***\"", IdMasking.mask(RawRow.json("t/0/1", "{\"id_no\":4401011990")));
    assertEquals(
        "{\"a\":1,\"Id_No\" :\t\"***\", \"mobile_tel\":\"***\"}",
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
    // d cells more or fewer than the header: every cell up to d places either side of the id's
    assertEquals("***,***", IdMasking.mask(RawRow.csv("f:2", "R1,E1234", header)));
    assertEquals("***,***,***,***,c,d", IdMasking.mask(RawRow.csv("f:2", "R1,E1234,a,b,c,d", header)));
    assertEquals("***,***,***,m,x", IdMasking.mask(RawRow.csv("f:2", "R1,n,E1234,m,x", header)));
    // a column missing before the id shifts it
    assertEquals("***,***,***", IdMasking.mask(RawRow.csv("f:2", "AB123,n,m", header)));
    // a quote opened before the id's cell never closes: the rest of the row is masked
    assertEquals("R1,***", IdMasking.mask(RawRow.csv("f:2", "R1,\"open,44010119900101", "REQUEST_NO,NAME,ID_NO")));
    assertEquals("R1,\"a,b\",***,***", IdMasking.mask(RawRow.csv("f:2", "R1,\"a,b\",\"440101\",13800000001", "REQUEST_NO,NAME,ID_NO,MOBILE_TEL")));
  }

  @Test
  void aDeadLetterKeepsAtMostItsLimitOfRawText() {
    String raw = "x".repeat(BadRecord.MAX_RAW + 10);
    BadRecord b = BadRecord.of(raw, "f:1", "r".repeat(5_000));
    assertTrue(b.raw().startsWith("x".repeat(BadRecord.MAX_RAW) + "... [cut: " + raw.length() + " characters in all]"));
    assertTrue(b.reason().length() < 1_100);
    assertFalse(BadRecord.of("short", "f:1", "r").raw().contains("cut"));
  }

  @Test
  void passportsAndPermitsInRowsOfTheWrongWidthAreMasked() {
    String header = "MOBILE_TEL,REQUEST_STATUS,LAST_UPDATE_DATETIME,CLIENT_NAME,ID_NO,BRANCH_NO";
    // one column too few before the id: the id moved left, into CLIENT_NAME's place
    String fewer = IdMasking.mask(RawRow.csv("f:2", "13800000001,0,2024-03-20 10:00:00,E12345678,403", header));
    assertFalse(fewer.contains("E12345678"), fewer);
    // one column too many before the id: it moved right
    String more = IdMasking.mask(RawRow.csv("f:2", "13800000001,0,2024-03-20 10:00:00,张三,x,H6012345,403", header));
    assertFalse(more.contains("H6012345"), more);
    // even in the right width, an id typed into another column is masked by its shape
    String misplaced = IdMasking.mask(RawRow.csv("f:2", "13800000001,0,E12345678,张三,,403", header));
    assertFalse(misplaced.contains("E12345678"), misplaced);
    assertTrue(misplaced.contains("张三"), misplaced);
  }

  @Test
  void idKeysOfJsonThatIsNotJsonAreMasked() {
    assertEquals("{'id_no': \"***\", 'mobile_tel': '***'}", IdMasking.mask(RawRow.json("t/0/1", "{'id_no': 'A1234', 'mobile_tel': '13800000001'}")));
    assertEquals("{ID_NO:\"***\",n:1}", IdMasking.mask(RawRow.json("t/0/1", "{ID_NO:A1234,n:1}")));
    assertEquals("id_no=\"***\"&x=1", IdMasking.mask(RawRow.json("t/0/1", "id_no=A1234&x=1")));
    assertEquals("{'Id_No' : \"***\"", IdMasking.mask(RawRow.json("t/0/1", "{'Id_No' : 'A12")));
    // a key that only contains id_no, or id_no as a value, is left alone
    assertEquals("{'id_no_kind': 'P', 'k': 'id_no'}", IdMasking.mask(RawRow.json("t/0/1", "{'id_no_kind': 'P', 'k': 'id_no'}")));
  }

  @Test
  void escapedDigitsAreMaskedAsTheDigitsTheyStandFor() {
    String escaped = "{\"last_update_datetime\":\"E\\u0031\\u0032\\u00333456\"}";
    assertEquals("{\"last_update_datetime\":\"***\"}", IdMasking.mask(RawRow.json("t/0/1", escaped)));
  }

  @Test
  void aDeadLetterMasksTheValuesItsReasonQuotes() {
    BadRecord b =
        BadRecord.of(
            "{\"last_update_datetime\":\"E12345678\"}",
            "f:3",
            "last_update_datetime: time 'E12345678' is not yyyy-MM-dd HH:mm:ss; 'A1 440101199001010011'");
    assertFalse(b.raw().contains("12345678"), b.raw());
    assertFalse(b.reason().contains("12345678"), b.reason());
    assertFalse(b.reason().contains("440101199001010011"), b.reason());
    assertTrue(b.reason().startsWith("last_update_datetime: time '***' is not"), b.reason());
    // the reason's own words and counts stay
    assertEquals(
        "field id_no has 1048576 characters, more than 64",
        BadRecord.of("x", "f:1", "field id_no has 1048576 characters, more than 64").reason());
  }
}
