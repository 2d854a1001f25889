package dev.stallwatch.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One row of the application table (SPEC §1), trimmed, with its event time in epoch milliseconds.
 *
 * <p>Every text field is non-null (an absent optional field is the empty string). {@link
 * #stepClass()} is empty until {@code Classify} has looked the row up in the step catalog; after
 * that it names a catalog class, {@link StepCatalog#UNKNOWN} or {@link StepCatalog#TERMINAL}.
 */
@DefaultCoder(Event.EventCoder.class)
public final class Event implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * SPEC §4's order of one applicant's events: by time; at equal times activity before terminal,
   * then {@code business_flag_last} and {@code request_no} ascending. The remaining fields only
   * break ties between rows SPEC treats alike, so that "the last event" is always the same row.
   */
  public static final Comparator<Event> SPEC_ORDER =
      Comparator.comparingLong(Event::eventMillis)
          .thenComparing(Event::isTerminal)
          .thenComparing(Event::businessFlag)
          .thenComparing(Event::requestNo)
          .thenComparing(Event::requestStatus)
          .thenComparing(Event::branchNo)
          .thenComparing(Event::channelCode)
          .thenComparing(Event::clientName)
          .thenComparing(Event::idNo)
          .thenComparing(Event::fundAccount)
          .thenComparing(Event::birthday)
          .thenComparing(Event::recommender);

  private final String mobile;
  private final String userId;
  private final String requestNo;
  private final String clientName;
  private final String idNo;
  private final String birthday;
  private final String branchNo;
  private final String channelCode;
  private final String requestStatus;
  private final String businessFlag;
  private final String fundAccount;
  private final String recommender;
  private final long eventMillis;
  private final String stepClass;

  private Event(Builder b) {
    this.mobile = b.mobile;
    this.userId = b.userId;
    this.requestNo = b.requestNo;
    this.clientName = b.clientName;
    this.idNo = b.idNo;
    this.birthday = b.birthday;
    this.branchNo = b.branchNo;
    this.channelCode = b.channelCode;
    this.requestStatus = b.requestStatus;
    this.businessFlag = b.businessFlag;
    this.fundAccount = b.fundAccount;
    this.recommender = b.recommender;
    this.eventMillis = b.eventMillis;
    this.stepClass = b.stepClass;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .mobile(mobile)
        .userId(userId)
        .requestNo(requestNo)
        .clientName(clientName)
        .idNo(idNo)
        .birthday(birthday)
        .branchNo(branchNo)
        .channelCode(channelCode)
        .requestStatus(requestStatus)
        .businessFlag(businessFlag)
        .fundAccount(fundAccount)
        .recommender(recommender)
        .eventMillis(eventMillis)
        .stepClass(stepClass);
  }

  /** The same row classified as {@code stepClass}. */
  public Event withStepClass(String stepClass) {
    return toBuilder().stepClass(stepClass).build();
  }

  public String mobile() {
    return mobile;
  }

  public String userId() {
    return userId;
  }

  public String requestNo() {
    return requestNo;
  }

  public String clientName() {
    return clientName;
  }

  public String idNo() {
    return idNo;
  }

  public String birthday() {
    return birthday;
  }

  public String branchNo() {
    return branchNo;
  }

  public String channelCode() {
    return channelCode;
  }

  public String requestStatus() {
    return requestStatus;
  }

  public String businessFlag() {
    return businessFlag;
  }

  public String fundAccount() {
    return fundAccount;
  }

  public String recommender() {
    return recommender;
  }

  public long eventMillis() {
    return eventMillis;
  }

  public String stepClass() {
    return stepClass;
  }

  public boolean isTerminal() {
    return StepCatalog.TERMINAL.equals(stepClass);
  }

  /** SPEC §2's applicant key: mobile and user id. */
  public String applicantKey() {
    return mobile + '\u0001' + userId;
  }

  /** SPEC §1's identity of an exact duplicate: applicant, request, status, step and instant. */
  public String duplicateKey() {
    return mobile
        + '\u0001'
        + userId
        + '\u0001'
        + requestNo
        + '\u0001'
        + requestStatus
        + '\u0001'
        + businessFlag
        + '\u0001'
        + eventMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Event)) {
      return false;
    }
    Event e = (Event) o;
    return eventMillis == e.eventMillis
        && mobile.equals(e.mobile)
        && userId.equals(e.userId)
        && requestNo.equals(e.requestNo)
        && clientName.equals(e.clientName)
        && idNo.equals(e.idNo)
        && birthday.equals(e.birthday)
        && branchNo.equals(e.branchNo)
        && channelCode.equals(e.channelCode)
        && requestStatus.equals(e.requestStatus)
        && businessFlag.equals(e.businessFlag)
        && fundAccount.equals(e.fundAccount)
        && recommender.equals(e.recommender)
        && stepClass.equals(e.stepClass);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mobile, userId, requestNo, requestStatus, businessFlag, eventMillis);
  }

  /** Never prints {@code id_no}: it does not leave the pipeline. */
  @Override
  public String toString() {
    return "Event{mobile="
        + mobile
        + ", userId="
        + userId
        + ", requestNo="
        + requestNo
        + ", status="
        + requestStatus
        + ", flag="
        + businessFlag
        + ", branch="
        + branchNo
        + ", millis="
        + eventMillis
        + ", class="
        + stepClass
        + "}";
  }

  /** Builds an {@link Event}; unset text fields are empty. */
  public static final class Builder {
    private String mobile = "";
    private String userId = "";
    private String requestNo = "";
    private String clientName = "";
    private String idNo = "";
    private String birthday = "";
    private String branchNo = "";
    private String channelCode = "";
    private String requestStatus = "";
    private String businessFlag = "";
    private String fundAccount = "";
    private String recommender = "";
    private long eventMillis;
    private String stepClass = "";

    private Builder() {}

    private static String text(String value) {
      return value == null ? "" : value;
    }

    public Builder mobile(String v) {
      mobile = text(v);
      return this;
    }

    public Builder userId(String v) {
      userId = text(v);
      return this;
    }

    public Builder requestNo(String v) {
      requestNo = text(v);
      return this;
    }

    public Builder clientName(String v) {
      clientName = text(v);
      return this;
    }

    public Builder idNo(String v) {
      idNo = text(v);
      return this;
    }

    public Builder birthday(String v) {
      birthday = text(v);
      return this;
    }

    public Builder branchNo(String v) {
      branchNo = text(v);
      return this;
    }

    public Builder channelCode(String v) {
      channelCode = text(v);
      return this;
    }

    public Builder requestStatus(String v) {
      requestStatus = text(v);
      return this;
    }

    public Builder businessFlag(String v) {
      businessFlag = text(v);
      return this;
    }

    public Builder fundAccount(String v) {
      fundAccount = text(v);
      return this;
    }

    public Builder recommender(String v) {
      recommender = text(v);
      return this;
    }

    public Builder eventMillis(long v) {
      eventMillis = v;
      return this;
    }

    public Builder stepClass(String v) {
      stepClass = text(v);
      return this;
    }

    public Event build() {
      return new Event(this);
    }
  }

  /** Field-by-field binary coder: no Java serialization on the shuffle path. */
  public static final class EventCoder extends AtomicCoder<Event> {
    private static final EventCoder INSTANCE = new EventCoder();

    public static EventCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Event e, OutputStream out) throws IOException {
      StreamCodec.Frame frame = StreamCodec.frame();
      put(e, frame);
      frame.writeTo(out);
    }

    @Override
    public Event decode(InputStream in) throws IOException {
      return get(StreamCodec.readFrame(in));
    }

    /** Appends {@code e}'s fields to a frame, for records that carry an event. */
    static void put(Event e, StreamCodec.Frame f) {
      f.putString(e.mobile);
      f.putString(e.userId);
      f.putString(e.requestNo);
      f.putString(e.clientName);
      f.putString(e.idNo);
      f.putString(e.birthday);
      f.putString(e.branchNo);
      f.putString(e.channelCode);
      f.putString(e.requestStatus);
      f.putString(e.businessFlag);
      f.putString(e.fundAccount);
      f.putString(e.recommender);
      f.putLong(e.eventMillis);
      f.putString(e.stepClass);
    }

    /** Reads the fields {@link #put} wrote. */
    static Event get(StreamCodec.Frame f) throws IOException {
      return Event.builder()
          .mobile(f.getString())
          .userId(f.getString())
          .requestNo(f.getString())
          .clientName(f.getString())
          .idNo(f.getString())
          .birthday(f.getString())
          .branchNo(f.getString())
          .channelCode(f.getString())
          .requestStatus(f.getString())
          .businessFlag(f.getString())
          .fundAccount(f.getString())
          .recommender(f.getString())
          .eventMillis(f.getLong())
          .stepClass(f.getString())
          .build();
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
