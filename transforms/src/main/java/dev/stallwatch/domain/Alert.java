package dev.stallwatch.domain;

import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A follow-up to send (SPEC §5): a stall offered on a route, with its occur time. Every applicant
 * field comes from the stalled event; {@code id_no} is not among them.
 */
@DefaultCoder(Alert.AlertCoder.class)
public final class Alert implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SPEC §5's preference within one route, mobile and period: earliest, then user, request. */
  public static final Comparator<Alert> EARLIEST_FIRST =
      Comparator.comparingLong(Alert::occurMillis)
          .thenComparing(Alert::userId)
          .thenComparing(Alert::requestNo)
          .thenComparing(Alert::rule)
          .thenComparing(Alert::businessFlag)
          .thenComparing(Alert::lastActivity)
          .thenComparing(Alert::clientName)
          .thenComparing(Alert::channelCode)
          .thenComparing(Alert::branchNo)
          .thenComparing(Alert::fundAccount);

  private final String route;
  private final String eventId;
  private final String eventName;
  private final String mobile;
  private final String userId;
  private final String clientName;
  private final String requestNo;
  private final String channelCode;
  private final String channelName;
  private final String branchNo;
  private final String businessFlag;
  private final String stepCode;
  private final String stepName;
  private final String rule;
  private final long gapMinutes;
  private final String lastActivity;
  private final String fundAccount;
  private final long occurMillis;
  private final String occurDate;
  private final String occurTime;

  private Alert(String[] s, long gapMinutes, long occurMillis) {
    this.route = s[0];
    this.eventId = s[1];
    this.eventName = s[2];
    this.mobile = s[3];
    this.userId = s[4];
    this.clientName = s[5];
    this.requestNo = s[6];
    this.channelCode = s[7];
    this.channelName = s[8];
    this.branchNo = s[9];
    this.businessFlag = s[10];
    this.stepCode = s[11];
    this.stepName = s[12];
    this.rule = s[13];
    this.lastActivity = s[14];
    this.fundAccount = s[15];
    this.occurDate = s[16];
    this.occurTime = s[17];
    this.gapMinutes = gapMinutes;
    this.occurMillis = occurMillis;
  }

  private String[] strings() {
    return new String[] {
      route, eventId, eventName, mobile, userId, clientName, requestNo, channelCode, channelName,
      branchNo, businessFlag, stepCode, stepName, rule, lastActivity, fundAccount, occurDate,
      occurTime
    };
  }

  /** The alert for {@code stall} on {@code route}, occurring at {@code occurMillis}. */
  public static Alert of(
      Stall stall, Route route, Rule rule, StepClass step, long occurMillis, ZoneId zone) {
    Event e = stall.event();
    return new Alert(
        new String[] {
          route.name(),
          route.eventId(),
          route.eventName(rule),
          e.mobile(),
          e.userId(),
          e.clientName(),
          e.requestNo(),
          e.channelCode(),
          "",
          e.branchNo(),
          e.businessFlag(),
          step.stepCode(),
          step.stepName(),
          rule.name(),
          EventTimes.dateTime(e.eventMillis(), zone),
          e.fundAccount(),
          EventTimes.date(occurMillis, zone),
          EventTimes.time(occurMillis, zone)
        },
        rule.gapMinutes(),
        occurMillis);
  }

  /** The same alert with the channel's display name. */
  public Alert withChannelName(String name) {
    String[] s = strings();
    s[8] = name == null ? "" : name;
    return new Alert(s, gapMinutes, occurMillis);
  }

  public String route() {
    return route;
  }

  public String eventId() {
    return eventId;
  }

  public String eventName() {
    return eventName;
  }

  public String mobile() {
    return mobile;
  }

  public String userId() {
    return userId;
  }

  public String clientName() {
    return clientName;
  }

  public String requestNo() {
    return requestNo;
  }

  public String channelCode() {
    return channelCode;
  }

  public String channelName() {
    return channelName;
  }

  public String branchNo() {
    return branchNo;
  }

  public String businessFlag() {
    return businessFlag;
  }

  public String stepCode() {
    return stepCode;
  }

  public String stepName() {
    return stepName;
  }

  public String rule() {
    return rule;
  }

  public long gapMinutes() {
    return gapMinutes;
  }

  public String lastActivity() {
    return lastActivity;
  }

  /** The applicant's fund account (the audit table's {@code FUND_ACC_NO}); not in the JSON. */
  public String fundAccount() {
    return fundAccount;
  }

  public long occurMillis() {
    return occurMillis;
  }

  public String occurDate() {
    return occurDate;
  }

  public String occurTime() {
    return occurTime;
  }

  /** SPEC §5's alert record, fields in the documented order. */
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
        .field("business_flag_last", businessFlag)
        .field("step_code", stepCode)
        .field("step_name", stepName)
        .field("rule", rule)
        .field("gap_minutes", gapMinutes)
        .field("last_activity", lastActivity)
        .field("occur_date", occurDate)
        .field("occur_time", occurTime)
        .end();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Alert)) {
      return false;
    }
    Alert a = (Alert) o;
    return gapMinutes == a.gapMinutes
        && occurMillis == a.occurMillis
        && java.util.Arrays.equals(strings(), a.strings());
  }

  @Override
  public int hashCode() {
    return Objects.hash(route, mobile, userId, requestNo, occurMillis);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /** Coder of {@link Alert}. */
  public static final class AlertCoder extends AtomicCoder<Alert> {
    private static final AlertCoder INSTANCE = new AlertCoder();
    private static final int STRINGS = 18;

    public static AlertCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Alert a, OutputStream out) throws IOException {
      StreamCodec.Frame frame = StreamCodec.frame();
      for (String s : a.strings()) {
        frame.putString(s);
      }
      frame.putLong(a.gapMinutes);
      frame.putLong(a.occurMillis);
      frame.writeTo(out);
    }

    @Override
    public Alert decode(InputStream in) throws IOException {
      StreamCodec.Frame frame = StreamCodec.readFrame(in);
      String[] s = new String[STRINGS];
      for (int i = 0; i < STRINGS; i++) {
        s[i] = frame.getString();
      }
      long gap = frame.getLong();
      return new Alert(s, gap, frame.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
