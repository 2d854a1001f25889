package dev.stallwatch.parse;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonReader;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns SPEC §1 rows — JSON objects or CSV records under a header — into {@link Event}s. Field
 * names match case-insensitively, values are trimmed, JSON numbers count as their text, unknown
 * fields are ignored. A row that cannot be used raises {@link BadRowException} with the reason.
 */
public final class RowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The fields SPEC §1 names, by their lower-case name. */
  enum Field {
    MOBILE_TEL(true),
    REQUEST_STATUS(true),
    LAST_UPDATE_DATETIME(true),
    BUSINESS_FLAG_LAST(false),
    USER_ID(false),
    REQUEST_NO(false),
    CLIENT_NAME(false),
    ID_NO(false),
    BIRTHDAY(false),
    BRANCH_NO(false),
    CHANNEL_CODE(false),
    FUND_ACCOUNT(false),
    RECOMMENDER(false);

    final boolean required;
    final String lowerName;

    Field(boolean required) {
      this.required = required;
      this.lowerName = name().toLowerCase(Locale.ROOT);
    }
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
  private transient String lastHeaderLine;
  private transient CsvHeader lastHeader;

  public RowParser(ZoneId zone) {
    this.zoneId = zone.getId();
  }

  private ZoneId zone() {
    if (zone == null) {
      zone = ZoneId.of(zoneId);
    }
    return zone;
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
        values[f.ordinal()] = value == null ? "" : value.trim();
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
      values[f] = column < 0 ? "" : cells.get(column).trim();
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
    long millis;
    try {
      millis = EventTimes.parse(v[Field.LAST_UPDATE_DATETIME.ordinal()], zone());
    } catch (IllegalArgumentException e) {
      throw new BadRowException("last_update_datetime: " + e.getMessage());
    }
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
        Field f = BY_NAME.get(names.get(i).trim().toLowerCase(Locale.ROOT));
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
