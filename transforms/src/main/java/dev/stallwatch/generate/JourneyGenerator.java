package dev.stallwatch.generate;

import dev.stallwatch.domain.StepCatalog;
import dev.stallwatch.domain.StepClass;
import dev.stallwatch.text.JsonWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates realistic account-opening journeys as application-table rows, deterministic for a seed:
 * steps of the catalog (with runs of video sub-steps), unknown codes, pauses just below, at and just
 * above every rule's gap, finished and abandoned applications, restarts, mobiles shared by two
 * users, journeys across midnight, exact duplicates in other time formats (some with another
 * value in a field outside SPEC's duplicate key), rows out of order and, when asked, bad rows.
 */
public final class JourneyGenerator {
  /** The columns of a generated row, in the order a CSV dump has them. */
  public static final List<String> COLUMNS =
      List.of(
          "request_no",
          "user_id",
          "client_name",
          "mobile_tel",
          "id_no",
          "birthday",
          "branch_no",
          "channel_code",
          "request_status",
          "business_flag_last",
          "last_update_datetime",
          "fund_account",
          "recommender");

  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter WITH_T = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
  private static final String[] CHANNELS = {"14781", "10001", "30003", "99999"};
  private static final String[] BRANCHES = {"", "101", "205", "403"};
  private static final String[] LEFT_STATUSES = {"1", "2", "3", "9", "a", "b", "c", "d"};
  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵"};
  private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇"};

  private final long seed;
  private final int applicants;
  private final LocalDate firstDay;
  private final int days;
  private final ZoneId zone;
  private final List<Long> gapsMinutes;
  private final double badRowRate;
  private final StepCatalog catalog;

  private JourneyGenerator(Builder b) {
    this.seed = b.seed;
    this.applicants = b.applicants;
    this.firstDay = b.firstDay;
    this.days = b.days;
    this.zone = b.zone;
    this.gapsMinutes = List.copyOf(b.gapsMinutes);
    this.badRowRate = b.badRowRate;
    this.catalog = b.catalog;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The generated rows (column name to text), shuffled: a dump's rows are in no useful order. */
  public List<Map<String, String>> rows() {
    Random random = new Random(seed);
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> mobiles = new ArrayList<>();
    for (int n = 0; n < applicants; n++) {
      String mobile;
      if (!mobiles.isEmpty() && random.nextInt(10) == 0) {
        mobile = mobiles.get(random.nextInt(mobiles.size())); // a second user on one mobile
      } else {
        mobile = "1" + (30 + random.nextInt(70)) + String.format("%08d", random.nextInt(100_000_000));
        mobiles.add(mobile);
      }
      journey(random, n, mobile, rows);
    }
    Collections.shuffle(rows, random);
    if (badRowRate > 0) {
      int bad = (int) Math.round(rows.size() * badRowRate);
      for (int i = 0; i < bad; i++) {
        rows.add(random.nextInt(rows.size() + 1), badRow(random, rows.get(random.nextInt(rows.size()))));
      }
    }
    return rows;
  }

  private void journey(Random random, int n, String mobile, List<Map<String, String>> rows) {
    String userId = random.nextInt(25) == 0 ? "" : String.format("u%06d", n);
    String name = SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)];
    String idNo = String.format("44%016d", Math.floorMod(random.nextLong(), 10_000_000_000_000_000L));
    String branch = BRANCHES[random.nextInt(BRANCHES.length)];
    String channel = CHANNELS[random.nextInt(CHANNELS.length)];
    LocalDate day = firstDay.plusDays(random.nextInt(days));
    LocalDateTime start =
        random.nextInt(8) == 0
            ? day.atTime(23, 20 + random.nextInt(40), random.nextInt(60))
            : day.atTime(8 + random.nextInt(14), random.nextInt(60), random.nextInt(60));
    long t = start.atZone(zone).toInstant().toEpochMilli();
    int attempts = random.nextInt(6) == 0 ? 2 : 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      String requestNo = "R" + (1_000_000 + random.nextInt(9_000_000));
      int steps = 1 + random.nextInt(8);
      for (int s = 0; s < steps; s++) {
        String code = stepCode(random);
        int repeats = code.startsWith("221") && isVideo(code) ? 1 + random.nextInt(3) : 1;
        for (int r = 0; r < repeats; r++) {
          Map<String, String> row = row(requestNo, userId, name, mobile, idNo, branch, channel);
          row.put("request_status", "0");
          row.put("business_flag_last", r == 0 ? code : videoCode(random));
          addAt(random, rows, row, t);
          t += pause(random);
        }
      }
      int ending = random.nextInt(10);
      if (ending < 3) {
        Map<String, String> done = row(requestNo, userId, name, mobile, idNo, branch, channel);
        done.put("request_status", "0");
        done.put("business_flag_last", "22114");
        t -= random.nextInt(3) == 0 ? pause(random) : 0; // sometimes the same second as a step
        addAt(random, rows, done, Math.max(t, start.atZone(zone).toInstant().toEpochMilli()));
        Map<String, String> approved = row(requestNo, userId, name, mobile, idNo, branch, channel);
        approved.put("request_status", "1");
        approved.put("business_flag_last", "22114");
        approved.put("fund_account", String.valueOf(300_000_000L + random.nextInt(99_999_999)));
        addAt(random, rows, approved, t + 60_000L * (1 + random.nextInt(120)));
      } else if (ending < 4) {
        Map<String, String> left = row(requestNo, userId, name, mobile, idNo, branch, channel);
        left.put("request_status", LEFT_STATUSES[random.nextInt(LEFT_STATUSES.length)]);
        left.put("business_flag_last", stepCode(random));
        addAt(random, rows, left, t);
      }
      t += 60_000L * (10 + random.nextInt(600)); // a restart, later the same day or the next
    }
  }

  private Map<String, String> row(
      String requestNo,
      String userId,
      String name,
      String mobile,
      String idNo,
      String branch,
      String channel) {
    Map<String, String> row = new LinkedHashMap<>();
    for (String c : COLUMNS) {
      row.put(c, "");
    }
    row.put("request_no", requestNo);
    row.put("user_id", userId);
    row.put("client_name", name);
    row.put("mobile_tel", mobile);
    row.put("id_no", idNo);
    row.put("birthday", "19" + (50 + Math.floorMod(idNo.hashCode(), 50)) + "0101");
    row.put("branch_no", branch);
    row.put("channel_code", channel);
    return row;
  }

  private void addAt(Random random, List<Map<String, String>> rows, Map<String, String> row, long millis) {
    row.put("last_update_datetime", format(random, millis));
    rows.add(row);
    if (random.nextInt(20) == 0) {
      Map<String, String> again = new LinkedHashMap<>(row);
      again.put("last_update_datetime", format(random, millis)); // same instant, maybe other format
      vary(again);
      rows.add(again);
    }
  }

  /**
   * Half the exact duplicates differ from their original in another field (a copy captured before
   * or after an unrelated update): the name, the id number, the branch (which can move 22123/22106
   * between PROFILE_EDIT and SELECT_MARKET), the channel or the recommender. The
   * choice comes from the row itself, not from the generator's sequence, so a seed's other rows
   * stay as they were.
   */
  private void vary(Map<String, String> copy) {
    Random r = new Random(seed * 31 + copy.toString().hashCode());
    switch (r.nextInt(12)) {
      case 0:
        copy.put("client_name", SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)]);
        break;
      case 1:
        copy.put("id_no", String.format("44%016d", Math.floorMod(r.nextLong(), 10_000_000_000_000_000L)));
        break;
      case 2:
      case 3:
        copy.put("branch_no", BRANCHES[r.nextInt(BRANCHES.length)]);
        break;
      case 4:
        copy.put("channel_code", CHANNELS[r.nextInt(CHANNELS.length)]);
        break;
      case 5:
        copy.put("recommender", r.nextBoolean() ? "" : "E" + (1000 + r.nextInt(9000)));
        break;
      default:
        break; // the same fields: a plain repeat
    }
  }

  private String format(Random random, long millis) {
    LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), zone);
    switch (random.nextInt(8)) {
      case 0:
        return local.format(WITH_T);
      case 1:
        return local.format(COMPACT);
      case 2:
        return local.format(SPACED) + ".000";
      default:
        return local.format(SPACED);
    }
  }

  /** A pause between two rows: often at a rule's gap give or take a second. */
  private long pause(Random random) {
    int pick = random.nextInt(10);
    if (pick < 5) {
      long gap = gapsMinutes.get(random.nextInt(gapsMinutes.size())) * 60_000L;
      return gap + 1000L * (random.nextInt(3) - 1);
    }
    if (pick < 6) {
      return 0;
    }
    if (pick < 9) {
      return 1000L * random.nextInt(600);
    }
    return 60_000L * (31 + random.nextInt(90));
  }

  private String stepCode(Random random) {
    if (random.nextInt(12) == 0) {
      return random.nextBoolean() ? "99999" : "";
    }
    List<StepClass> classes = catalog.classes();
    StepClass c = classes.get(random.nextInt(classes.size()));
    List<String> codes = new ArrayList<>(c.codes());
    codes.addAll(c.codesWithBranch());
    codes.addAll(c.codesWithoutBranch());
    return codes.get(random.nextInt(codes.size()));
  }

  private boolean isVideo(String code) {
    StepClass video = catalog.get("VIDEO");
    return video != null && video.codes().contains(code);
  }

  private String videoCode(Random random) {
    StepClass video = catalog.get("VIDEO");
    return video == null ? "99999" : video.codes().get(random.nextInt(video.codes().size()));
  }

  private static Map<String, String> badRow(Random random, Map<String, String> from) {
    Map<String, String> bad = new LinkedHashMap<>(from);
    switch (random.nextInt(4)) {
      case 0:
        bad.put("mobile_tel", "");
        break;
      case 1:
        bad.put("last_update_datetime", "2024-02-30 25:61:00");
        break;
      case 2:
        bad.remove("request_status");
        break;
      default:
        bad.put("last_update_datetime", "yesterday");
    }
    bad.put("bad", "true");
    return bad;
  }

  /** Whether a row was made bad on purpose (it carries a "bad" column). */
  public static boolean isBad(Map<String, String> row) {
    return row.containsKey("bad");
  }

  /** One JSON line, field names in random letter case as the CDC feed sends them. */
  public static String toJson(Map<String, String> row, Random random) {
    JsonWriter w = new JsonWriter(400);
    for (Map.Entry<String, String> e : row.entrySet()) {
      if (e.getKey().equals("bad")) {
        continue;
      }
      String name = random.nextBoolean() ? e.getKey().toUpperCase(Locale.ROOT) : e.getKey();
      w.field(name, e.getValue());
    }
    return w.end();
  }

  /** The CSV header line of {@link #COLUMNS}. */
  public static String csvHeader() {
    return String.join(",", COLUMNS).toUpperCase(Locale.ROOT);
  }

  /** One CSV record under {@link #csvHeader()}; a row missing a column gets one column fewer. */
  public static String toCsv(Map<String, String> row) {
    StringBuilder sb = new StringBuilder(200);
    boolean first = true;
    for (String c : COLUMNS) {
      if (!row.containsKey(c)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      String v = row.get(c);
      if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
        sb.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  /** Configures a {@link JourneyGenerator}. */
  public static final class Builder {
    private long seed = 1;
    private int applicants = 100;
    private LocalDate firstDay = LocalDate.of(2024, 3, 19);
    private int days = 2;
    private ZoneId zone = ZoneId.of("Asia/Shanghai");
    private List<Long> gapsMinutes = List.of(8L, 30L);
    private double badRowRate;
    private StepCatalog catalog = StepCatalog.defaults();

    private Builder() {}

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder applicants(int v) {
      applicants = v;
      return this;
    }

    public Builder firstDay(LocalDate v) {
      firstDay = v;
      return this;
    }

    public Builder days(int v) {
      days = v;
      return this;
    }

    public Builder zone(ZoneId v) {
      zone = v;
      return this;
    }

    /** The gaps pauses cluster around (default: SPEC §4's 8 and 30 minutes). */
    public Builder gapsMinutes(List<Long> v) {
      gapsMinutes = v;
      return this;
    }

    /** Share of extra rows that are bad on purpose (default 0). */
    public Builder badRowRate(double v) {
      badRowRate = v;
      return this;
    }

    public Builder catalog(StepCatalog v) {
      catalog = v;
      return this;
    }

    public JourneyGenerator build() {
      return new JourneyGenerator(this);
    }
  }
}
