package dev.stallwatch.classroom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArrivalTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "uc_account-user/3/42|42",
        "data_pack_order_info/0/0|0",
        "/tmp/dump/uc_account-user.jsonl:7|7",
        "file:///tmp/d/uc_account-student.jsonl.gz:1234567|1234567",
        "C:\\dumps\\x.jsonl:12|12",
        "qos_log-0@19|19",
        "no number|0",
        "''|0",
        "NULL|0",
        "t/0/12345678901234567890123|678901234567890123",
        "t/0/9223372036854775807|223372036854775807",
      })
  void theArrivalIsTheOriginsTrailingNumber(String origin, long arrival) {
    assertEquals(arrival, Arrival.of(origin));
  }
}
