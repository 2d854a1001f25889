package dev.stallwatch.domain;

import dev.stallwatch.text.Text;
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
   * then {@code business_flag_last} and {@code request_no} ascending, then {@code request_status}.
   * Events equal so far are exact duplicates (SPEC §1); among them the one SPEC v1.1 counts — the
   * smallest by {@code user_id}, {@code client_name}, {@code id_no}, {@code birthday}, {@code
   * branch_no}, {@code channel_code}, {@code fund_account}, {@code recommender}, compared by code
   * point — comes last, so that a session's last event (the largest) is the copy that counts, in
   * whatever order the copies came.
   */
  public static final Comparator<Event> SPEC_ORDER =
      Comparator.comparingLong(Event::eventMillis)
          .thenComparing(Event::isTerminal)
          .thenComparing(Event::businessFlag)
          .thenComparing(Event::requestNo)
          .thenComparing(Event::requestStatus)
          .thenComparing(((Comparator<Event>) Event::countedCopyFirst).reversed());

  private static int countedCopyFirst(Event a, Event b) {
    Rest x = a.rest();
    Rest y = b.rest();
    int c = Text.compareCodePoints(x.userId, y.userId);
    if (c == 0) {
      c = Text.compareCodePoints(x.clientName, y.clientName);
    }
    if (c == 0) {
      c = Text.compareCodePoints(x.idNo, y.idNo);
    }
    if (c == 0) {
      c = Text.compareCodePoints(x.birthday, y.birthday);
    }
    if (c == 0) {
      c = Text.compareCodePoints(x.branchNo, y.branchNo);
    }
    if (c == 0) {
      c = Text.compareCodePoints(x.channelCode, y.channelCode);
    }
    if (c == 0) {
      c = Text.compareCodePoints(x.fundAccount, y.fundAccount);
    }
    if (c == 0) {
      c = Text.compareCodePoints(x.recommender, y.recommender);
    }
    return c;
  }

  // The fields a session needs (SPEC order, duplicates, the step class) are always decoded; the
  // others travel as their encoded bytes until something asks for one (see EventCoder): most
  // events cross the shuffles only to be compared.
  private final String requestNo;
  private final String requestStatus;
  private final String businessFlag;
  private final long eventMillis;
  private final String stepClass;
  /** The other fields as {@link EventCoder} wrote them, or null for an event built from fields. */
  private final byte[] restBytes;
  /** The other fields, decoded (set once; its fields are final, so a racy first read is safe). */
  private Rest rest;

  /** The fields that are decoded only when read. */
  private static final class Rest implements Serializable {
    private static final long serialVersionUID = 1L;

    final String mobile;
    final String userId;
    final String clientName;
    final String idNo;
    final String birthday;
    final String branchNo;
    final String channelCode;
    final String fundAccount;
    final String recommender;

    Rest(Builder b) {
      this(b.mobile, b.userId, b.clientName, b.idNo, b.birthday, b.branchNo, b.channelCode, b.fundAccount, b.recommender);
    }

    Rest(
        String mobile,
        String userId,
        String clientName,
        String idNo,
        String birthday,
        String branchNo,
        String channelCode,
        String fundAccount,
        String recommender) {
      this.mobile = mobile;
      this.userId = userId;
      this.clientName = clientName;
      this.idNo = idNo;
      this.birthday = birthday;
      this.branchNo = branchNo;
      this.channelCode = channelCode;
      this.fundAccount = fundAccount;
      this.recommender = recommender;
    }

    void put(StreamCodec.Frame f) {
      f.putString(mobile);
      f.putString(userId);
      f.putString(clientName);
      f.putString(idNo);
      f.putString(birthday);
      f.putString(branchNo);
      f.putString(channelCode);
      f.putString(fundAccount);
      f.putString(recommender);
    }

    static Rest get(StreamCodec.Frame f) throws IOException {
      return new Rest(
          f.getString(), f.getString(), f.getString(), f.getString(), f.getString(), f.getString(),
          f.getString(), f.getString(), f.getString());
    }
  }

  private Event(Builder b) {
    this.requestNo = b.requestNo;
    this.requestStatus = b.requestStatus;
    this.businessFlag = b.businessFlag;
    this.eventMillis = b.eventMillis;
    this.stepClass = b.stepClass;
    this.restBytes = null;
    this.rest = new Rest(b);
  }

  private Event(
      String requestNo, String requestStatus, String businessFlag, long eventMillis, String stepClass, byte[] restBytes) {
    this.requestNo = requestNo;
    this.requestStatus = requestStatus;
    this.businessFlag = businessFlag;
    this.eventMillis = eventMillis;
    this.stepClass = stepClass;
    this.restBytes = restBytes;
  }

  private Rest rest() {
    Rest r = rest;
    if (r == null) {
      try {
        r = Rest.get(StreamCodec.Frame.over(restBytes));
      } catch (IOException e) {
        throw new IllegalStateException("an event's encoded fields do not decode", e);
      }
      rest = r;
    }
    return r;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Rest r = rest();
    return new Builder()
        .mobile(r.mobile)
        .userId(r.userId)
        .requestNo(requestNo)
        .clientName(r.clientName)
        .idNo(r.idNo)
        .birthday(r.birthday)
        .branchNo(r.branchNo)
        .channelCode(r.channelCode)
        .requestStatus(requestStatus)
        .businessFlag(businessFlag)
        .fundAccount(r.fundAccount)
        .recommender(r.recommender)
        .eventMillis(eventMillis)
        .stepClass(stepClass);
  }

  /** The same row classified as {@code stepClass}. */
  public Event withStepClass(String stepClass) {
    return toBuilder().stepClass(stepClass).build();
  }

  public String mobile() {
    return rest().mobile;
  }

  public String userId() {
    return rest().userId;
  }

  public String requestNo() {
    return requestNo;
  }

  public String clientName() {
    return rest().clientName;
  }

  public String idNo() {
    return rest().idNo;
  }

  public String birthday() {
    return rest().birthday;
  }

  public String branchNo() {
    return rest().branchNo;
  }

  public String channelCode() {
    return rest().channelCode;
  }

  public String requestStatus() {
    return requestStatus;
  }

  public String businessFlag() {
    return businessFlag;
  }

  public String fundAccount() {
    return rest().fundAccount;
  }

  public String recommender() {
    return rest().recommender;
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
    Rest r = rest();
    return r.mobile + '\u0001' + r.userId;
  }

  /** SPEC §1's identity of an exact duplicate: applicant, request, status, step and instant. */
  public String duplicateKey() {
    Rest r = rest();
    return r.mobile
        + '\u0001'
        + r.userId
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
    if (eventMillis != e.eventMillis
        || !requestNo.equals(e.requestNo)
        || !requestStatus.equals(e.requestStatus)
        || !businessFlag.equals(e.businessFlag)
        || !stepClass.equals(e.stepClass)) {
      return false;
    }
    Rest r = rest();
    Rest q = e.rest();
    return r.mobile.equals(q.mobile)
        && r.userId.equals(q.userId)
        && r.clientName.equals(q.clientName)
        && r.idNo.equals(q.idNo)
        && r.birthday.equals(q.birthday)
        && r.branchNo.equals(q.branchNo)
        && r.channelCode.equals(q.channelCode)
        && r.fundAccount.equals(q.fundAccount)
        && r.recommender.equals(q.recommender);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requestNo, requestStatus, businessFlag, eventMillis, stepClass);
  }

  /** Never prints {@code id_no}: it does not leave the pipeline. */
  @Override
  public String toString() {
    return "Event{mobile="
        + mobile()
        + ", userId="
        + userId()
        + ", requestNo="
        + requestNo
        + ", status="
        + requestStatus
        + ", flag="
        + businessFlag
        + ", branch="
        + branchNo()
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

    /**
     * Appends {@code e}'s fields to a frame, for records that carry an event: the fields a session
     * needs, then the others as one block (copied as it came when the event was decoded).
     */
    static void put(Event e, StreamCodec.Frame f) {
      f.putString(e.requestNo);
      f.putString(e.requestStatus);
      f.putString(e.businessFlag);
      f.putLong(e.eventMillis);
      f.putString(e.stepClass);
      if (e.restBytes != null) {
        f.putBlock(e.restBytes);
      } else {
        int block = f.beginBlock();
        e.rest.put(f);
        f.endBlock(block);
      }
    }

    /** Reads the fields {@link #put} wrote; the block stays encoded until a field in it is read. */
    static Event get(StreamCodec.Frame f) throws IOException {
      String requestNo = f.getString();
      String requestStatus = f.getString();
      String businessFlag = f.getString();
      long eventMillis = f.getLong();
      String stepClass = f.getString();
      return new Event(requestNo, requestStatus, businessFlag, eventMillis, stepClass, f.getBlock());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
