package dev.stallwatch.bench;

import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.JsonWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The original design as a benchmark peer: the seed's Flink SQL jobs 1 to 4 (and 6 to 8, their
 * copy for the mot route) run as Flink SQL on Flink 1.19, in event time, over a CSV dump of the
 * application table, on a local Flink. The benchmark calls {@link #run} in process and compares
 * its alerts with StallWatch's on (route, mobile, occur_date, occur_time).
 *
 * <p>Two Flink jobs run one after the other, handing over through files as the original's jobs
 * handed over through Kafka topics:
 *
 * <ol>
 *   <li>{@code peer-1-sessions.sql}, STREAMING mode: job 1's daily first-row deduplication and the
 *       30- and 8-minute session windows of jobs 2/3 (= 6/7) with their code filters. Flink 1.19
 *       has no session windows in batch mode. The watermark stays behind every row until the
 *       file ends, so no row of the unordered dump is late and each session closes at its last
 *       row's time plus the gap.
 *   <li>{@code peer-2-routes.sql}, BATCH mode: the channel and blacklist joins, the per-(mobile,
 *       channel) ranking of jobs 2/3 and 6/7 and the per-(mobile, day) ranking of jobs 4 and 8.
 *       Non-windowed rankings would retract rows in streaming mode.
 * </ol>
 *
 * <p>Local times stay local: {@code TIMESTAMP(3)} without a zone, as the dump writes them. That
 * equals the zone's instants wherever the zone has no daylight saving (Asia/Shanghai).
 */
public final class FlinkSqlPeer {
  /** The dump's columns the SQL reads; the file may have more, in any order. */
  static final List<String> DUMP_COLUMNS =
      List.of(
          "request_no",
          "user_id",
          "client_name",
          "mobile_tel",
          "id_no",
          "branch_no",
          "channel_code",
          "request_status",
          "business_flag_last",
          "last_update_datetime");

  private static final String SESSION_STALLS_COLUMNS =
      "rule STRING, gap_minutes INT, mobile_tel STRING, user_id STRING, client_name STRING,"
          + " request_no STRING, channel_code STRING, branch_no STRING, business_flag_last STRING,"
          + " step_code STRING, step_name STRING, id_no STRING, last_activity TIMESTAMP(3),"
          + " done_time TIMESTAMP(3)";

  private static final String ALERT_COLUMNS =
      "route STRING, event_id STRING, event_name STRING, mobile STRING, user_id STRING,"
          + " client_name STRING, request_no STRING, channel_code STRING, channel_name STRING,"
          + " branch_no STRING, business_flag_last STRING, step_code STRING, step_name STRING,"
          + " rule STRING, gap_minutes INT, last_activity STRING, occur_date STRING,"
          + " occur_time STRING";

  /**
   * The event time of a dump row: {@code yyyyMMddHHmmss}, or {@code yyyy-MM-dd HH:mm:ss} with a
   * space or a {@code T} and an optional fraction; NULL when none of them reads it.
   */
  private static final String EVENT_TIME =
      "CASE WHEN CHAR_LENGTH(TRIM(last_update_datetime)) = 14"
          + " THEN TO_TIMESTAMP(TRIM(last_update_datetime), 'yyyyMMddHHmmss')"
          + " ELSE TRY_CAST(REPLACE(TRIM(last_update_datetime), 'T', ' ') AS TIMESTAMP(3)) END";

  /** A semicolon that ends a line ends a statement in the .sql resources. */
  private static final Pattern STATEMENT_END = Pattern.compile(";[ \\t]*(\\r?\\n|$)");

  /** {@code CREATE TEMPORARY VIEW name AS query}. */
  private static final Pattern VIEW =
      Pattern.compile("CREATE\\s+TEMPORARY\\s+VIEW\\s+(\\w+)\\s+AS\\s+(.*)", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private FlinkSqlPeer() {}

  private static String withoutLeadingComments(String statement) {
    String rest = statement;
    while (rest.startsWith("--")) {
      int eol = rest.indexOf('\n');
      rest = eol < 0 ? "" : rest.substring(eol + 1).trim();
    }
    return rest;
  }

  /** One alert of the peer: the fields of SPEC §5's alert record, with the same formats. */
  public record PeerAlert(
      String route,
      String eventId,
      String eventName,
      String mobile,
      String userId,
      String clientName,
      String requestNo,
      String channelCode,
      String channelName,
      String branchNo,
      String businessFlagLast,
      String stepCode,
      String stepName,
      String rule,
      int gapMinutes,
      String lastActivity,
      String occurDate,
      String occurTime) {

    /** What a caller compares with StallWatch's alerts: route, mobile, occur date and time. */
    public String key() {
      return route + "|" + mobile + "|" + occurDate + "|" + occurTime;
    }

    /** SPEC §5's JSON line. */
    public String toJson() {
      return new JsonWriter(512)
          .field("route", route)
          .field("event_id", eventId)
          .field("event_name", eventName)
          .field("mobile", mobile)
          .field("user_id", userId)
          .field("client_name", clientName)
          .field("request_no", requestNo)
          .field("channel_code", channelCode)
          .field("channel_name", channelName)
          .field("branch_no", branchNo)
          .field("business_flag_last", businessFlagLast)
          .field("step_code", stepCode)
          .field("step_name", stepName)
          .field("rule", rule)
          .field("gap_minutes", gapMinutes)
          .field("last_activity", lastActivity)
          .field("occur_date", occurDate)
          .field("occur_time", occurTime)
          .end();
    }

    static PeerAlert fromCsv(List<String> f) {
      if (f.size() != 18) {
        throw new IllegalStateException("an alert row has " + f.size() + " fields, not 18: " + f);
      }
      return new PeerAlert(
          f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), f.get(6), f.get(7),
          f.get(8), f.get(9), f.get(10), f.get(11), f.get(12), f.get(13),
          Integer.parseInt(f.get(14).trim()), f.get(15), f.get(16), f.get(17));
    }
  }

  /**
   * What a run gave.
   *
   * @param wallMillis both jobs, from creating the first table environment to the end of the
   *     second job (reading the alerts back is not counted)
   * @param sessionJobMillis the streaming job (jobs 1 to 3)
   * @param routeJobMillis the batch job (step 3 of jobs 2/3, job 4, and their mot copies)
   * @param alerts every alert, sorted by route, mobile, occur date and time
   * @param alertsDir where the second job wrote them (CSV part files)
   */
  public record Result(
      long wallMillis,
      long sessionJobMillis,
      long routeJobMillis,
      List<PeerAlert> alerts,
      Path alertsDir) {

    /** Alert counts by route name. */
    public Map<String, Long> alertsPerRoute() {
      return alerts.stream()
          .collect(Collectors.groupingBy(PeerAlert::route, TreeMap::new, Collectors.counting()));
    }
  }

  /**
   * Runs the peer on a local Flink.
   *
   * @param csvDump the application table's CSV dump with a header row, as {@code generate} writes
   * @param blacklistCsv CSV with a header naming an {@code id_no} column (others are ignored: the
   *     original matched by id_no only)
   * @param channelsCsv CSV with {@code channel_code} and {@code channel_name} columns
   * @param parallelism the parallelism of both jobs
   * @param outputDir receives {@code session-stalls/} (the first job's output) and {@code alerts/}
   *     (the second's); earlier contents of those two are deleted
   */
  public static Result run(
      Path csvDump, Path blacklistCsv, Path channelsCsv, int parallelism, Path outputDir)
      throws IOException {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    List<String> dumpColumns = header(csvDump, DUMP_COLUMNS);
    List<String> blacklistColumns = header(blacklistCsv, List.of("id_no"));
    List<String> channelColumns = header(channelsCsv, List.of("channel_code", "channel_name"));
    Path sessionStalls = outputDir.resolve("session-stalls");
    Path alerts = outputDir.resolve("alerts");
    deleteRecursively(sessionStalls);
    deleteRecursively(alerts);
    Files.createDirectories(outputDir);

    long start = System.nanoTime();
    TableEnvironment streaming =
        TableEnvironment.create(
            EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(configuration(parallelism))
                .build());
    streaming.executeSql(
        csvTable(
            "rt_crhkh_crh_wskh_userqueryextinfo",
            stringColumns(dumpColumns)
                // a time attribute must not be NULL, and Flink drops `ts IS NOT NULL` as always
                // true: a row whose time does not parse gets the epoch and time_ok = FALSE
                + ", ts AS COALESCE("
                + EVENT_TIME
                + ", CAST(TIMESTAMP '1970-01-01 00:00:00' AS TIMESTAMP(3)))"
                + ", time_ok AS ("
                + EVENT_TIME
                + ") IS NOT NULL"
                // behind every row until the file ends: the dump is in no order, and a finite
                // input closes every session at its end
                + ", WATERMARK FOR ts AS CAST(TIMESTAMP '1970-01-01 00:00:00' AS TIMESTAMP(3))",
            csvDump,
            true));
    streaming.executeSql(csvTable("session_stalls", SESSION_STALLS_COLUMNS, sessionStalls, false));
    runScript(streaming, "peer-1-sessions.sql");
    long afterSessions = System.nanoTime();

    TableEnvironment batch =
        TableEnvironment.create(
            EnvironmentSettings.newInstance()
                .inBatchMode()
                .withConfiguration(configuration(parallelism))
                .build());
    batch.executeSql(csvTable("session_stalls", SESSION_STALLS_COLUMNS, sessionStalls, false));
    batch.executeSql(
        csvTable("dim_blacklist_file", stringColumns(blacklistColumns), blacklistCsv, true));
    batch.executeSql(
        csvTable("dim_channel_file", stringColumns(channelColumns), channelsCsv, true));
    batch.executeSql(csvTable("alerts", ALERT_COLUMNS, alerts, false));
    runScript(batch, "peer-2-routes.sql");
    long end = System.nanoTime();

    return new Result(
        (end - start) / 1_000_000,
        (afterSessions - start) / 1_000_000,
        (end - afterSessions) / 1_000_000,
        readAlerts(alerts),
        alerts);
  }

  private static Configuration configuration(int parallelism) {
    Configuration conf = new Configuration();
    conf.setString("parallelism.default", Integer.toString(parallelism));
    conf.setString("table.display.max-column-width", "80");
    return conf;
  }

  /** Runs a .sql resource's statements in order and waits for its INSERT to finish. */
  private static void runScript(TableEnvironment env, String resource) {
    for (String statement : statements(resource)) {
      try {
        Matcher view = VIEW.matcher(withoutLeadingComments(statement));
        if (view.matches()) {
          // Registered as a query object, not as SQL text: Flink 1.19 cannot read back the text
          // it stores for a view over SESSION(TABLE t PARTITION BY (a, b), ...) ("Column 'b' not
          // found in any table"); the same query given as a Table is fine.
          env.createTemporaryView(view.group(1), env.sqlQuery(view.group(2)));
        } else {
          env.executeSql(statement).await();
        }
      } catch (org.apache.flink.table.api.ValidationException e) {
        throw new IllegalStateException(
            resource + ": invalid statement\n" + statement + "\n" + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + resource, e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(resource + " failed: " + e.getCause(), e.getCause());
      }
    }
  }

  /** The statements of a .sql resource next to this class, comment-only pieces left out. */
  static List<String> statements(String resource) {
    String text;
    try (InputStream in = FlinkSqlPeer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + resource + " beside " + FlinkSqlPeer.class);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    for (String piece : STATEMENT_END.split(text)) {
      boolean code =
          piece.lines().map(String::trim).anyMatch(l -> !l.isEmpty() && !l.startsWith("--"));
      if (code) {
        out.add(piece.trim());
      }
    }
    return out;
  }

  /** A filesystem table of CSV files; sources skip rows they cannot read. */
  private static String csvTable(String name, String columns, Path path, boolean source) {
    String uri = path.toAbsolutePath().toUri().toString();
    return "CREATE TEMPORARY TABLE "
        + name
        + " ("
        + columns
        + ") WITH ('connector' = 'filesystem', 'path' = '"
        + uri.replace("'", "''")
        + "', 'format' = 'csv'"
        + (source ? ", 'csv.ignore-parse-errors' = 'true'" : "")
        + ")";
  }

  private static String stringColumns(List<String> names) {
    return names.stream().map(n -> "`" + n + "` STRING").collect(Collectors.joining(", "));
  }

  /**
   * The lower-cased column names of a CSV file's header row.
   *
   * @throws IllegalArgumentException when the file has no header or lacks a needed column
   */
  static List<String> header(Path csv, List<String> needed) throws IOException {
    String first;
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      first = r.readLine();
    }
    if (first == null || first.isBlank()) {
      throw new IllegalArgumentException(csv + ": empty file, a header row is needed");
    }
    if (first.startsWith("\uFEFF")) {
      throw new IllegalArgumentException(csv + ": starts with a byte order mark, which Flink's CSV format reads as data");
    }
    List<String> names = new ArrayList<>();
    for (String n : CsvLine.split(first)) {
      String name = n.trim().toLowerCase(Locale.ROOT);
      if (!name.matches("[a-z_][a-z0-9_]*") || names.contains(name)) {
        throw new IllegalArgumentException(csv + ": header column '" + n + "' is not a usable name");
      }
      names.add(name);
    }
    for (String n : needed) {
      if (!names.contains(n)) {
        throw new IllegalArgumentException(csv + ": the header has no " + n + " column");
      }
    }
    return names;
  }

  private static List<PeerAlert> readAlerts(Path dir) throws IOException {
    List<PeerAlert> alerts = new ArrayList<>();
    for (Path file : outputFiles(dir)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          alerts.add(PeerAlert.fromCsv(CsvLine.split(line)));
        }
      }
    }
    alerts.sort(Comparator.comparing(PeerAlert::key).thenComparing(PeerAlert::toJson));
    return alerts;
  }

  /** The finished part files of a filesystem sink (in-progress and hidden files start with a dot). */
  private static List<Path> outputFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
          .sorted()
          .toList();
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  /**
   * {@code FlinkSqlPeer DUMP.csv BLACKLIST.csv CHANNELS.csv OUTDIR [parallelism]}: runs the peer,
   * writes {@code OUTDIR/peer-alerts.jsonl} (SPEC §5 lines) and prints counts and wall time.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4 || args.length > 5) {
      System.err.println(
          "usage: FlinkSqlPeer DUMP.csv BLACKLIST.csv CHANNELS.csv OUTDIR [parallelism, default 1]");
      System.exit(2);
    }
    int parallelism = args.length == 5 ? Integer.parseInt(args[4]) : 1;
    Path out = Path.of(args[3]);
    Result r = run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), parallelism, out);
    Path jsonl = out.resolve("peer-alerts.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
      for (PeerAlert a : r.alerts()) {
        w.write(a.toJson());
        w.write('\n');
      }
    }
    Map<String, Long> perRoute = r.alertsPerRoute();
    System.out.println("flink-sql-peer: parallelism " + parallelism);
    System.out.println(
        "flink-sql-peer: alerts " + r.alerts().size() + " " + perRoute + " -> " + jsonl);
    System.out.println(
        "flink-sql-peer: wall "
            + r.wallMillis()
            + " ms (streaming sessions job "
            + r.sessionJobMillis()
            + " ms, batch routes job "
            + r.routeJobMillis()
            + " ms)");
    System.out.println("flink-sql-peer: peak heap " + peakHeapMiB() + " MiB (sum of heap pools' peaks)");
  }

  private static long peakHeapMiB() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }
}
