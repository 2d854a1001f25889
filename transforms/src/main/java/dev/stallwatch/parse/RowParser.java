package dev.stallwatch.parse;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns SPEC §1 rows — JSON objects or CSV records under a header — into {@link Event}s. Field
 * names match case-insensitively, values are trimmed of Unicode white space ({@link Text#strip}:
 * the ideographic space and the no-break space too), JSON numbers count as their text, unknown
 * fields are ignored. A row that cannot be used raises {@link BadRowException} with the reason.
 *
 * <p>Besides SPEC §1's rules, a row is bad when one of its fields is longer than the column that
 * keeps it downstream ({@link #maxLength}: the audit table's widths; a megabyte of text in a name
 * must not reach the alert topic or the database), and when its time is outside the years {@value
 * #FIRST_YEAR} to {@value #LAST_YEAR} (a {@code 9999-12-31} or {@code 1970-01-01} placeholder is
 * no event time), and when a field holds a control character other than tab and line breaks
 * ({@link Text#firstControl}: a NUL that a database refuses, a U+0001 that would join two
 * applicants' keys).
 */
public final class RowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The first year a row's time may fall in. */
  public static final int FIRST_YEAR = 2000;

  /** The last year a row's time may fall in. */
  public static final int LAST_YEAR = 2099;

  /** What {@link #jsonEventMillis} answers for a row whose time it cannot read. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /**
   * The fields SPEC §1 names, by their lower-case name, with the most characters each may have:
   * the width of the audit table column that keeps it, or of the blacklist's {@code ID_NO}.
   */
  enum Field {
    MOBILE_TEL(true, 32),
    REQUEST_STATUS(true, 16),
    LAST_UPDATE_DATETIME(true, 64),
    BUSINESS_FLAG_LAST(false, 16),
    USER_ID(false, 64),
    REQUEST_NO(false, 64),
    CLIENT_NAME(false, 100),
    ID_NO(false, 64),
    BIRTHDAY(false, 32),
    BRANCH_NO(false, 32),
    CHANNEL_CODE(false, 32),
    FUND_ACCOUNT(false, 64),
    RECOMMENDER(false, 100);

    final boolean required;
    final int maxLength;
    final String lowerName;

    Field(boolean required, int maxLength) {
      this.required = required;
      this.maxLength = maxLength;
      this.lowerName = name().toLowerCase(Locale.ROOT);
    }
  }

  /** The most characters field {@code name} (lower case, SPEC §1) may have. */
  public static int maxLength(String name) {
    Field f = BY_NAME.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no field " + name);
    }
    return f.maxLength;
  }

  private static final Field[] FIELDS = Field.values();
  private static final Map<String, Field> BY_NAME = new HashMap<>();

  static {
    for (Field f : FIELDS) {
      BY_NAME.put(f.lowerName, f);
    }
  }

  private final String zoneId;
  private transient ZoneId zone;
  private transient long earliestMillis;
  private transient long endMillis;
  private transient String lastHeaderLine;
  private transient CsvHeader lastHeader;

  public RowParser(ZoneId zone) {
    this.zoneId = zone.getId();
  }

  private ZoneId zone() {
    if (zone == null) {
      ZoneId z = ZoneId.of(zoneId);
      earliestMillis = java.time.LocalDate.of(FIRST_YEAR, 1, 1).atStartOfDay(z).toInstant().toEpochMilli();
      endMillis = java.time.LocalDate.of(LAST_YEAR + 1, 1, 1).atStartOfDay(z).toInstant().toEpochMilli();
      zone = z;
    }
    return zone;
  }

  /**
   * The event time of a JSON row, read cheaply: only the top-level fields up to {@code
   * last_update_datetime} (any letter case) are passed over, nothing else is built. For every row
   * {@link #parseJson} accepts it answers that row's {@link Event#eventMillis()}; for a row whose
   * time cannot be read (no such field, not a JSON object up to it, an unlisted format, an
   * impossible or implausible time) it answers {@link #NO_TIME}. A row it gives a time may still be
   * bad for another reason.
   */
  public long jsonEventMillis(String text) {
    JsonReader reader = new JsonReader(text);
    try {
      if (!reader.peekObject()) {
        return NO_TIME;
      }
      reader.beginObject();
      for (String name = reader.nextField(); name != null; name = reader.nextField()) {
        // The same comparison as parseJson's (equalsIgnoreCase would also match, say, a long s).
        if (!name.toLowerCase(Locale.ROOT).equals(Field.LAST_UPDATE_DATETIME.lowerName)) {
          reader.skipValue();
          continue;
        }
        String value = reader.scalarText();
        String trimmed = value == null ? "" : Text.strip(value);
        if (trimmed.isEmpty() || trimmed.length() > Field.LAST_UPDATE_DATETIME.maxLength) {
          return NO_TIME;
        }
        return eventMillis(trimmed);
      }
      return NO_TIME;
    } catch (IllegalArgumentException e) {
      return NO_TIME; // JsonException or BadRowException: the row's time cannot be read
    }
  }

  /** SPEC §1's time of a trimmed, non-empty {@code last_update_datetime}, if it is plausible. */
  private long eventMillis(String text) {
    long millis;
    try {
      millis = EventTimes.parse(text, zone());
    } catch (IllegalArgumentException e) {
      throw new BadRowException("last_update_datetime: " + e.getMessage());
    }
    if (millis < earliestMillis || millis >= endMillis) {
      throw new BadRowException(
          "last_update_datetime: '" + text + "' is not in the years " + FIRST_YEAR + " to " + LAST_YEAR);
    }
    return millis;
  }

  /** The row as an event; CSV when it carries a header, else JSON. */
  public Event parse(RawRow row) {
    return row.isCsv() ? parseCsv(row.text(), header(row.csvHeader())) : parseJson(row.text());
  }

  private CsvHeader header(String line) {
    // Rows of one file share one header line: keep its parse.
    if (!line.equals(lastHeaderLine)) {
      lastHeader = CsvHeader.parse(line);
      lastHeaderLine = line;
    }
    return lastHeader;
  }

  public Event parseJson(String text) {
    String[] values = new String[FIELDS.length];
    JsonReader reader = new JsonReader(text);
    try {
      if (!reader.peekObject()) {
        throw new BadRowException("not a JSON object: the row is " + reader.peekKind());
      }
      reader.beginObject();
      for (String name = reader.nextField(); name != null; name = reader.nextField()) {
        Field f = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
          reader.skipValue();
          continue;
        }
        String value;
        try {
          value = reader.scalarText();
        } catch (JsonReader.JsonException e) {
          throw new BadRowException("field " + f.lowerName + ": " + e.getMessage());
        }
        if (values[f.ordinal()] != null) {
          throw new BadRowException("field " + f.lowerName + " appears more than once");
        }
        values[f.ordinal()] = value == null ? "" : Text.strip(value);
      }
      reader.end();
    } catch (JsonReader.JsonException e) {
      throw new BadRowException("invalid JSON: " + e.getMessage());
    }
    return toEvent(values);
  }

  public Event parseCsv(String text, CsvHeader header) {
    List<String> cells;
    try {
      cells = CsvLine.split(text);
    } catch (IllegalArgumentException e) {
      throw new BadRowException("invalid CSV: " + e.getMessage());
    }
    if (cells.size() != header.width()) {
      throw new BadRowException(
          "expected " + header.width() + " columns as in the header, found " + cells.size());
    }
    String[] values = new String[FIELDS.length];
    for (int f = 0; f < FIELDS.length; f++) {
      int column = header.columns[f];
      values[f] = column < 0 ? "" : Text.strip(cells.get(column));
    }
    return toEvent(values);
  }

  private Event toEvent(String[] v) {
    for (Field f : FIELDS) {
      if (f.required && (v[f.ordinal()] == null || v[f.ordinal()].isEmpty())) {
        throw new BadRowException(
            (v[f.ordinal()] == null ? "missing required field " : "empty required field ")
                + f.lowerName);
      }
    }
    for (Field f : FIELDS) {
      String value = v[f.ordinal()];
      int length = value == null ? 0 : value.length();
      if (length > f.maxLength) {
        throw new BadRowException(
            "field " + f.lowerName + " has " + length + " characters, more than " + f.maxLength);
      }
      int control = value == null ? -1 : Text.firstControl(value);
      if (control >= 0) {
        throw new BadRowException(
            "field " + f.lowerName + " holds the control character " + Text.codePoint(value.charAt(control)));
      }
    }
    long millis = eventMillis(v[Field.LAST_UPDATE_DATETIME.ordinal()]);
    return Event.builder()
        .mobile(v[Field.MOBILE_TEL.ordinal()])
        .requestStatus(v[Field.REQUEST_STATUS.ordinal()])
        .eventMillis(millis)
        .businessFlag(v[Field.BUSINESS_FLAG_LAST.ordinal()])
        .userId(v[Field.USER_ID.ordinal()])
        .requestNo(v[Field.REQUEST_NO.ordinal()])
        .clientName(v[Field.CLIENT_NAME.ordinal()])
        .idNo(v[Field.ID_NO.ordinal()])
        .birthday(v[Field.BIRTHDAY.ordinal()])
        .branchNo(v[Field.BRANCH_NO.ordinal()])
        .channelCode(v[Field.CHANNEL_CODE.ordinal()])
        .fundAccount(v[Field.FUND_ACCOUNT.ordinal()])
        .recommender(v[Field.RECOMMENDER.ordinal()])
        .build();
  }

  /** Where each SPEC §1 field sits in the rows under one CSV header. */
  public static final class CsvHeader {
    private final int width;
    private final int[] columns;

    private CsvHeader(int width, int[] columns) {
      this.width = width;
      this.columns = columns;
    }

    /**
     * Reads a header line.
     *
     * @throws BadRowException when it is not CSV, names a column twice or lacks a required column
     */
    public static CsvHeader parse(String line) {
      String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
      List<String> names;
      try {
        names = CsvLine.split(text);
      } catch (IllegalArgumentException e) {
        throw new BadRowException("invalid CSV header: " + e.getMessage());
      }
      int[] columns = new int[FIELDS.length];
      java.util.Arrays.fill(columns, -1);
      for (int i = 0; i < names.size(); i++) {
        Field f = BY_NAME.get(Text.strip(names.get(i)).toLowerCase(Locale.ROOT));
        if (f == null) {
          continue;
        }
        if (columns[f.ordinal()] >= 0) {
          throw new BadRowException("the CSV header names column " + f.lowerName + " twice");
        }
        columns[f.ordinal()] = i;
      }
      List<String> missing = new ArrayList<>();
      for (Field f : FIELDS) {
        if (f.required && columns[f.ordinal()] < 0) {
          missing.add(f.lowerName);
        }
      }
      if (!missing.isEmpty()) {
        throw new BadRowException(
            "the CSV header lacks required column(s) " + String.join(", ", missing));
      }
      return new CsvHeader(names.size(), columns);
    }

    public int width() {
      return width;
    }
  }

  /** Why a row cannot be used; the message is the dead letter's reason. */
  public static final class BadRowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadRowException(String reason) {
      super(reason);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // a bad row is data, not a bug: no stack trace to pay for
    }
  }
}
