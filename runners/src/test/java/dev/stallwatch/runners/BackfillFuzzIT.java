package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.reference.ReferenceModel;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.BadInputs;
import dev.stallwatch.testing.Conformance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input in a backfill's dump files: a CSV and a JSON-lines dump, each with more than 10,000
 * malformed lines of every kind ({@link BadInputs}) mixed into generated valid rows, read by one
 * {@code backfill} on the Flink runner, beside a gzip bomb (a gigabyte line) and a truncated archive.
 * Every malformed line must be a dead letter with its
 * {@code file:line} and a reason its kind may have, no valid line may be one, no output may show
 * an {@code id_no}, and the alerts must be exactly the reference model's for the valid rows.
 */
class BackfillFuzzIT {
  private static final int MALFORMED_PER_FILE = 10_200;

  @TempDir Path tmp;

  /** What was written: each malformed line's kind by file name and line, the valid rows, the ids. */
  private static final class Dump {
    final Map<String, String> kindOfLine = new HashMap<>();
    final List<RawRow> valid = new ArrayList<>();
    final Set<String> ids = new TreeSet<>();
    final Set<String> mobiles = new TreeSet<>();
  }

  @Test
  void everyMalformedLineIsADeadLetterAndTheAlertsAreTheModels() throws IOException {
    long started = System.currentTimeMillis();
    Path input = Files.createDirectories(tmp.resolve("in"));
    Dump dump = new Dump();
    write(input.resolve("dump.csv"), BadInputs.Format.CSV, 11L, dump);
    write(input.resolve("dump.jsonl"), BadInputs.Format.JSONL, 12L, dump);
    writeBomb(input.resolve("dump-bomb.jsonl.gz"), dump);
    int beforeCut = writeCut(input.resolve("dump-cut.jsonl.gz"), dump);

    List<String> ids = new ArrayList<>(dump.ids);
    Blacklist blacklist = Blacklist.of(ids.subList(0, ids.size() / 25), List.of());
    Files.writeString(tmp.resolve("blacklist.csv"), "id_no\n" + String.join("\n", ids.subList(0, ids.size() / 25)) + "\n");
    Files.writeString(tmp.resolve("channels.csv"), "channel_code,channel_name\n14781,同花顺\n", StandardCharsets.UTF_8);
    ReferenceModel.Result expected =
        ReferenceModel.of(StallConfig.defaults())
            .withBlacklist(blacklist)
            .withChannels(ChannelNames.of(Map.of("14781", "同花顺")))
            .run(dump.valid);
    assertTrue(expected.deadLetters.isEmpty(), "the valid rows are valid");

    Path output = tmp.resolve("out");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long written = System.currentTimeMillis();
    int code =
        Launcher.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "backfill",
                  "--input=" + input + "/dump*",
                  "--blacklist=" + tmp.resolve("blacklist.csv"),
                  "--channels=" + tmp.resolve("channels.csv"),
                  "--output=" + output,
                  "--runner=FlinkRunner",
                  "--parallelism=2",
                  "--jsonSummary=true"
                });
    long ran = System.currentTimeMillis();
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);

    List<String> alerts = Conformance.outputLines(output, "alerts");
    assertEquals(AlertJson.canonicalAlerts(expected.alerts), AlertJson.canonical(alerts), "alerts = the model's");

    Map<String, Map<String, Integer>> reasonsPerKind = new TreeMap<>();
    Set<String> seen = new TreeSet<>();
    Map<String, Integer> cutLetters = new TreeMap<>();
    for (String d : Conformance.outputLines(output, "dead-letter")) {
      Map<String, String> f = AlertJson.fields(d);
      String origin = f.get("origin");
      String key = Path.of(origin.substring(0, origin.lastIndexOf(':'))).getFileName() + origin.substring(origin.lastIndexOf(':'));
      if (key.startsWith("dump-cut.")) {
        // where the archive stops being readable depends on the inflater: after every valid row
        int line = Integer.parseInt(key.substring(key.indexOf(':') + 1));
        assertTrue(line > beforeCut, "a row before the cut is lost: " + d);
        assertTrue(
            f.get("reason").startsWith("the archive cannot be read past byte ")
                || f.get("reason").equals("the line is unfinished where the archive cannot be read further"),
            d);
        cutLetters.merge(f.get("reason").substring(0, 12), 1, Integer::sum);
        continue;
      }
      String kind = dump.kindOfLine.get(key);
      assertTrue(kind != null, "a dead letter for a valid line: " + d.substring(0, Math.min(300, d.length())));
      assertTrue(seen.add(key), "one dead letter per line: " + key);
      String reason = f.get("reason");
      List<String> allowed = BadInputs.reasons(kind);
      assertTrue(!reason.isBlank() && (allowed.isEmpty() || allowed.stream().anyMatch(reason::startsWith)), kind + " got " + reason);
      String raw = f.get("raw");
      assertFalse(BadInputFuzzIT.containsAnId(raw, dump.ids), "an id_no in " + key + ": " + raw);
      BadInputFuzzIT.assertIdValuesMasked(key, raw);
      String category = reason.replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "'…'").replaceAll("field [a-z_]+", "field F");
      reasonsPerKind
          .computeIfAbsent(key.substring(key.indexOf('.') + 1, key.indexOf(':')) + " " + kind, k -> new TreeMap<>())
          .merge(category.length() > 60 ? category.substring(0, 60) : category, 1, Integer::sum);
    }
    assertEquals(new TreeSet<>(dump.kindOfLine.keySet()), seen, "every malformed line is a dead letter");
    assertEquals(1, cutLetters.getOrDefault("the archive ", 0), "the cut is reported once: " + cutLetters);
    int cuts = cutLetters.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, String> summary = AlertJson.fields(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(Integer.toString(dump.kindOfLine.size() + cuts), summary.get("bad_rows"), "the summary counts them");
    for (String a : alerts) {
      assertFalse(BadInputFuzzIT.containsAnId(a, dump.ids), "an id_no in an alert");
    }
    assertFalse(BadInputFuzzIT.containsAnId(printed, dump.ids), "an id_no in the command's output");
    for (String mobile : dump.mobiles) {
      assertFalse(printed.contains(mobile), "a mobile in the command's output: " + printed);
    }

    Map<String, Integer> perKind = new TreeMap<>();
    dump.kindOfLine.forEach((k, kind) -> perKind.merge(k.substring(k.indexOf('.') + 1, k.indexOf(':')) + " " + kind, 1, Integer::sum));
    System.out.printf(
        "BackfillFuzzIT: %d valid rows, %d malformed lines (csv %d, jsonl %d), %d alerts; files written in %.1f s,"
            + " backfill on Flink %.1f s, test %.1f s%n",
        dump.valid.size(), dump.kindOfLine.size(),
        dump.kindOfLine.keySet().stream().filter(k -> k.startsWith("dump.csv:")).count(),
        dump.kindOfLine.keySet().stream().filter(k -> k.startsWith("dump.jsonl:")).count(),
        alerts.size(), (written - started) / 1000.0, (ran - written) / 1000.0, (System.currentTimeMillis() - started) / 1000.0);
    perKind.forEach((kind, n) -> System.out.printf("  %-26s %6d  %s%n", kind, n, reasonsPerKind.getOrDefault(kind, Map.of())));
  }

  /** Fresh applicants' valid rows, as JSON lines, recorded as valid rows of {@code name}. */
  private static List<String> validLines(long seed, int applicants, String name, int firstLine, Dump dump) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (Map<String, String> row :
        JourneyGenerator.builder().seed(seed).applicants(applicants).firstDay(LocalDate.of(2024, 3, 21)).days(1).build().rows()) {
      String text = JourneyGenerator.toJson(row, random);
      dump.ids.add(row.get("id_no"));
      dump.mobiles.add(row.get("mobile_tel"));
      dump.valid.add(RawRow.json(name + ":" + (firstLine + lines.size()), text));
      lines.add(text);
    }
    return lines;
  }

  /**
   * A gzip bomb: about a megabyte that inflates to a first line of a gigabyte (carrying a passport
   * number), then valid rows, which must be read.
   */
  private static void writeBomb(Path file, Dump dump) throws IOException {
    String name = file.getFileName().toString();
    String id = "E20240321";
    dump.ids.add(id);
    try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
      o.write(("{\"id_no\":\"" + id + "\",\"remark\":\"").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "y".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 1024; i++) {
        o.write(chunk);
      }
      o.write("\"}\n".getBytes(StandardCharsets.UTF_8));
      for (String line : validLines(21L, 15, name, 2, dump)) {
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    dump.kindOfLine.put(name + ":1", "archive_bomb");
  }

  /**
   * A truncated archive: a whole gzip member of valid rows, then a member of terminal rows of
   * applicants no other row has (so reading any part of it changes no alert), cut in its middle.
   * Answers how many lines come before the cut member.
   */
  private static int writeCut(Path file, Dump dump) throws IOException {
    String name = file.getFileName().toString();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> valid = validLines(22L, 20, name, 1, dump);
    try (OutputStream o = new java.util.zip.GZIPOutputStream(bytes)) {
      for (String line : valid) {
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    try (OutputStream o = new java.util.zip.GZIPOutputStream(second)) {
      for (int i = 0; i < 3000; i++) {
        o.write(
            String.format(
                    "{\"mobile_tel\":\"2%010d\",\"request_status\":\"1\",\"last_update_datetime\":\"2024-03-21 10:%02d:%02d\"}\n",
                    i, i % 60, (i * 7) % 60)
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] tail = second.toByteArray();
    bytes.write(tail, 0, tail.length / 2);
    Files.write(file, bytes.toByteArray());
    return valid.size();
  }

  /** A dump of generated valid rows with malformed lines among them; records both in {@code dump}. */
  private static void write(Path file, BadInputs.Format format, long seed, Dump dump) throws IOException {
    Random random = new Random(seed);
    List<Map<String, String>> rows =
        JourneyGenerator.builder().seed(seed).applicants(1000).firstDay(LocalDate.of(2024, 3, 20)).days(2).build().rows();
    int[] after = new int[rows.size()];
    for (int i = 0; i < MALFORMED_PER_FILE; i++) {
      after[random.nextInt(after.length)]++;
    }
    BadInputs bad = new BadInputs(seed, format, 4);
    String name = file.getFileName().toString();
    String header = JourneyGenerator.csvHeader();
    long line = 0;
    try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      if (format == BadInputs.Format.CSV) {
        o.write((header + "\n").getBytes(StandardCharsets.UTF_8));
        line++;
      }
      for (int i = 0; i < rows.size(); i++) {
        Map<String, String> row = rows.get(i);
        dump.ids.add(row.get("id_no"));
        dump.mobiles.add(row.get("mobile_tel"));
        String text = format == BadInputs.Format.CSV ? JourneyGenerator.toCsv(row) : JourneyGenerator.toJson(row, random);
        o.write((text + (random.nextInt(10) == 0 ? "\r\n" : "\n")).getBytes(StandardCharsets.UTF_8));
        line++;
        dump.valid.add(format == BadInputs.Format.CSV ? RawRow.csv(name + ":" + line, text, header) : RawRow.json(name + ":" + line, text));
        bad.passedValidLine();
        for (int k = 0; k < after[i]; k++) {
          BadInputs.Bad b = bad.next(row);
          dump.ids.addAll(b.ids);
          o.write(b.bytes);
          o.write('\n');
          line++;
          dump.kindOfLine.put(name + ":" + line, b.kind);
        }
      }
    }
  }
}
