package dev.stallwatch.testing;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.generate.JourneyGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generated journeys as raw rows, half JSON and half CSV, for tests. */
public final class Journeys {
  private Journeys() {}

  public static List<RawRow> rows(JourneyGenerator generator, long seed) {
    Random random = new Random(seed);
    List<RawRow> rows = new ArrayList<>();
    String header = JourneyGenerator.csvHeader();
    int line = 0;
    for (Map<String, String> row : generator.rows()) {
      line++;
      rows.add(
          random.nextBoolean()
              ? RawRow.json("gen.jsonl:" + line, JourneyGenerator.toJson(row, random))
              : RawRow.csv("gen.csv:" + line, JourneyGenerator.toCsv(row), header));
    }
    return rows;
  }
}
