package dev.stallwatch.classroom.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The C2, C6 and C7 input rows: row keys, level buckets, coders, which row is the latest, what counts. */
class AccountRowsTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static <T> void roundTrip(Coder<T> coder, T value) throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(coder, value);
    assertEquals(value, CoderUtils.decodeFromByteArray(coder, bytes));
    assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, CoderUtils.decodeFromByteArray(coder, bytes)));
    coder.verifyDeterministic();
  }

  @Test
  void theRowKeyIsTheLowercaseHexMd5OfTheUtf8Id() {
    // the literals are `printf %s ID | md5sum`
    assertEquals("b8c37e33defde51cf91e1e03e51657da", LevelEntry.rowkeyOf("1001"));
    assertEquals("2cff76cba6814ca04d68edd3a63eb211", LevelEntry.rowkeyOf("渠道-7"));
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", LevelEntry.rowkeyOf(""));
    assertEquals("b8c37e33defde51cf91e1e03e51657da", LevelEntry.of("1001", null, null, "A", null, null, 5, null, 0).rowkey());
  }

  @ParameterizedTest(name = "[{0}] is {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "A|A", "B|B", "C|C", "D|D", "' b '|B", "d|D", "E|other", "AA|other", "A+|other", "''|other", "'  '|other",
        "NULL|other", "其他|other", "other|other", "Ａ|other"
      })
  void levelsBucketAsTheirLetterOrOther(String level, String bucket) {
    assertEquals(bucket, LevelEntry.bucket(level));
  }

  @Test
  void rowsSurviveTheirCodersWithAndWithoutTheOptionalFields() throws Exception {
    roundTrip(LevelEntry.LevelEntryCoder.of(), LevelEntry.of("渠道-7", "抖音", "Douyin", "A", "3", 1710806400000L, 1710815400000L, "d9", 17));
    roundTrip(LevelEntry.LevelEntryCoder.of(), LevelEntry.of("1", null, null, null, null, null, 1, null, 0));
    roundTrip(StudentRow.StudentRowCoder.of(), new StudentRow("100001", "渠道-7", 1710815400000L, 123456789012L));
    roundTrip(StudentRow.StudentRowCoder.of(), new StudentRow("100001", null, 1, 0));
    roundTrip(UserRow.UserRowCoder.of(), new UserRow("100001", "张三", 1710806400000L, "NORMAL", 1710815400000L, 5));
    roundTrip(UserRow.UserRowCoder.of(), new UserRow("100001", null, null, null, null, 5));
    roundTrip(
        OrderRow.OrderRowCoder.of(), new OrderRow("o1", "cc7", "100001", "ord-9", 1710806400000L, 1710815400000L, -3, 1710815400000L, 2));
    roundTrip(OrderRow.OrderRowCoder.of(), new OrderRow("o1", null, null, null, null, null, null, 1, 0));
  }

  @Test
  void theRowsNameTheirCoders() {
    // a registry may still prefer SerializableCoder for a Serializable type: pipelines set coders
    assertEquals(LevelEntry.LevelEntryCoder.class, LevelEntry.class.getAnnotation(DefaultCoder.class).value());
    assertEquals(StudentRow.StudentRowCoder.class, StudentRow.class.getAnnotation(DefaultCoder.class).value());
    assertEquals(UserRow.UserRowCoder.class, UserRow.class.getAnnotation(DefaultCoder.class).value());
    assertEquals(OrderRow.OrderRowCoder.class, OrderRow.class.getAnnotation(DefaultCoder.class).value());
  }

  @Test
  void theLatestRowIsByUpdateTimeThenArrivalInAnyOrder() {
    LevelEntry newer = LevelEntry.of("7", null, null, "A", null, null, 2000, null, 1);
    LevelEntry olderArrivingLater = LevelEntry.of("7", null, null, "B", null, null, 1000, null, 9);
    assertSame(newer, LevelEntry.latest(newer, olderArrivingLater));
    assertSame(newer, LevelEntry.latest(olderArrivingLater, newer));
    LevelEntry sameTimeLater = LevelEntry.of("7", null, null, "C", null, null, 2000, null, 2);
    assertSame(sameTimeLater, LevelEntry.latest(newer, sameTimeLater));
    assertSame(sameTimeLater, LevelEntry.latest(sameTimeLater, newer));
    // equal time and arrival (two partitions or files): the fields decide, whichever comes first
    LevelEntry twinA = LevelEntry.of("7", null, null, "A", null, null, 2000, null, 2);
    assertSame(sameTimeLater, LevelEntry.latest(twinA, sameTimeLater));
    assertSame(sameTimeLater, LevelEntry.latest(sameTimeLater, twinA));

    StudentRow s1 = new StudentRow("1", "ch-a", 2000, 1);
    StudentRow s2 = new StudentRow("1", "ch-b", 1000, 5);
    StudentRow s3 = new StudentRow("1", null, 2000, 3);
    assertSame(s1, StudentRow.latest(s1, s2));
    assertSame(s3, StudentRow.latest(s1, s3));
    assertSame(s3, StudentRow.latest(s3, s1));

    OrderRow o1 = new OrderRow("o", "cc", null, null, 5L, null, 3, 3000, 1);
    OrderRow o2 = new OrderRow("o", "cc", null, null, 5L, null, 4, 2000, 8);
    assertSame(o1, OrderRow.latest(o2, o1));
    assertTrue(OrderRow.compare(o2, o1) < 0);
  }

  @Test
  void usersAreLatestByArrivalUnlessTheyCarryAnUpdateTime() {
    UserRow first = new UserRow("1", "a", 1L, "NORMAL", 1);
    UserRow second = new UserRow("1", "a", 1L, "FROZEN", 2);
    assertSame(second, UserRow.latest(first, second));
    assertSame(second, UserRow.latest(second, first));
    UserRow timedOld = new UserRow("1", "a", 1L, "NORMAL", 1000L, 3);
    UserRow timedNew = new UserRow("1", "a", 1L, "FROZEN", 2000L, 1);
    assertSame(timedNew, UserRow.latest(timedOld, timedNew));
    assertSame(timedNew, UserRow.latest(timedNew, timedOld));
    // a row with update_time is later than one without, whatever their arrival
    assertSame(timedNew, UserRow.latest(new UserRow("1", "a", 1L, "NORMAL", 99), timedNew));
  }

  @Test
  void anOrderCountsWhenConfirmedWithStatusThreeAndAConsultant() {
    assertTrue(new OrderRow("o", "cc", null, null, 5L, null, 3, 1, 0).counts());
    assertTrue(new OrderRow("o", "cc", null, null, 5L, 9L, 3, 1, 0).counts());
    assertFalse(new OrderRow("o", "cc", null, null, 5L, null, 4, 1, 0).counts());
    assertFalse(new OrderRow("o", "cc", null, null, null, null, 3, 1, 0).counts());
    assertFalse(new OrderRow("o", "cc", null, null, 5L, null, null, 1, 0).counts());
    assertFalse(new OrderRow("o", null, null, null, 5L, null, 3, 1, 0).counts());
  }

  @ParameterizedTest(name = "[{0}] {1} counts: {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "张三|NORMAL|true",
        "张三|normal|true",
        "张三|' NORMAL '|true",
        "NULL|NORMAL|true",
        "测试账号|NORMAL|false",
        "小王测试|NORMAL|false",
        "Test01|NORMAL|false",
        "my TEST kid|NORMAL|false",
        "DM__abc|NORMAL|false",
        "dm__abc|NORMAL|false",
        "xDM__|NORMAL|true",
        "DM_x|NORMAL|true",
        "张三|FROZEN|false",
        "张三|NULL|false",
      })
  void theDefaultFilterCountsNormalUsersThatAreNoTestAccounts(String name, String status, boolean counts) {
    assertEquals(counts, RegistrationFilter.defaults().counts(new UserRow("1", name, 1710806400000L, status, 0)));
  }

  @Test
  void theFilterIsConfigurationAndAUserWithoutRegistrationCountsNowhere() {
    assertFalse(RegistrationFilter.defaults().counts(new UserRow("1", "张三", null, "NORMAL", 0)));
    RegistrationFilter custom = new RegistrationFilter(List.of("demo"), List.of(), "ACTIVE");
    assertTrue(custom.counts(new UserRow("1", "Test01", 1L, "active", 0)));
    assertFalse(custom.counts(new UserRow("1", "a Demo", 1L, "ACTIVE", 0)));
    assertFalse(custom.counts(new UserRow("1", "张三", 1L, "NORMAL", 0)));
    assertThrows(IllegalArgumentException.class, () -> new RegistrationFilter(List.of(" "), List.of(), "NORMAL"));
    assertThrows(IllegalArgumentException.class, () -> new RegistrationFilter(List.of(), List.of(), ""));
    assertThrows(NullPointerException.class, () -> new RegistrationFilter(null, List.of(), "NORMAL"));
  }

  @Test
  void periodsAreLocalHoursAndDates() {
    assertEquals("2024031908", Periods.hourOf(1710806400000L, SHANGHAI));
    assertEquals("2024031900", Periods.hourOf(1710806400000L, ZoneOffset.UTC));
    assertEquals("2024031910", Periods.hourOf(1710815400000L, SHANGHAI));
    assertEquals("2024-03-19", Periods.dayOf(1710863999000L, SHANGHAI));
    assertEquals("2024-03-20", Periods.dayOf(1710864000000L, SHANGHAI));
    assertEquals("2024-03-19", Periods.dayOf(1710864000000L, ZoneOffset.UTC));
    assertEquals("2024031908_A", Periods.documentId("2024031908", "A"));
  }
}
