package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.counts.CountUpdate;
import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.counts.RetractingCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Periods;
import dev.stallwatch.classroom.domain.RegistrationFilter;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import java.time.ZoneId;
import java.util.Map;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * C6 (CLASSROOM.md): distinct counted students per (registration hour, level), as counts that move
 * both ways. Inputs, by tag: {@link #STUDENTS} ({@code uc_account-student}), {@link #USERS} ({@code
 * uc_account-user}) and {@link #LEVELS} (C2's dictionary rows); output: each (hour, level) group's
 * new {@code leads} with a revision, from {@link RetractingCount}. A group is {@code
 * yyyyMMddHH_LEVEL}, the index's document id {@code uk}.
 *
 * <p><b>Why the dictionary is joined in state, not read as a side input.</b> The article looked up
 * each student's channel in HBase as the student's row went by: a student whose channel's row came
 * later, or whose channel changed level afterwards, stayed in the wrong bucket for good, and a
 * replay gave other counts than the live run. Here C2's stream is a third input keyed by channel:
 * the stage keyed by channel keeps the channel's latest dictionary row and the students placed in
 * it, and when the channel's level bucket changes it moves every one of them. So the counts are a
 * function of the rows, not of their order: a backfill and the live job agree, as CLASSROOM.md
 * requires. The cost is state per channel of one entry per student ever placed there (an id, an
 * hour and a number).
 *
 * <p><b>Stages.</b> {@code LatestPerStudent}, keyed by student id, keeps the latest student row (by
 * {@code update_time}, then arrival: {@link StudentRow#compare}) and the latest user row (by its
 * {@code update_time} when it has one, then arrival: {@link UserRow#compare}); when the student's channel or counted hour changes it numbers the change
 * and sends a placement to the new channel, and to the old channel, if the channel changed, a
 * leave. A student with no student row is not placed; one whose user row is missing or does not
 * pass the {@link RegistrationFilter} is placed with no hour, which counts nowhere. {@code
 * LevelPerChannel}, keyed by channel id, turns placements and leaves into {@link CountUpdate}s of
 * the student under its (hour, level) group, and re-sends its students when the channel's bucket
 * changes. A placement's update has version = its number and arrival = 1 + the channel's level
 * revision; a leave has the same number and arrival 0, so the placement in the new channel wins
 * whichever lands first. {@code Leads} is {@link RetractingCount}.
 *
 * <p><b>Expiry.</b> With a TTL, a student's state in {@code LatestPerStudent} and {@code Leads} is
 * dropped that long (event time) after its latest row; a row of the student after that counts it
 * anew, as Flink SQL's idle state retention does. Without one (the default) nothing expires.
 * Channel state does not expire.
 */
public final class Registrations extends PTransform<PCollectionTuple, PCollection<GroupCount>> {
  public static final TupleTag<StudentRow> STUDENTS = new TupleTag<>("students") {};
  public static final TupleTag<UserRow> USERS = new TupleTag<>("users") {};
  public static final TupleTag<LevelEntry> LEVELS = new TupleTag<>("levels") {};

  /** The key of students without a channel: no dictionary row has it, so their level is {@code other}. */
  static final String NO_CHANNEL = "";

  private final RegistrationFilter filter;
  private final String zoneId;
  private final Duration ttl;

  private Registrations(RegistrationFilter filter, String zoneId, Duration ttl) {
    this.filter = filter;
    this.zoneId = zoneId;
    this.ttl = ttl;
  }

  /** C6 with these filters, hours in {@code zoneId}, and state kept {@code ttl} (null: for good). */
  public static Registrations of(RegistrationFilter filter, String zoneId, Duration ttl) {
    ZoneId.of(zoneId);
    return new Registrations(filter, zoneId, ttl);
  }

  /** The group (document id {@code uk}) of an hour and a level bucket. */
  public static String group(String hour, String bucket) {
    return Periods.documentId(hour, bucket);
  }

  /** The registration hour {@code yyyyMMddHH} of a group. */
  public static String hourOf(String group) {
    return group.substring(0, group.indexOf('_'));
  }

  /** The level bucket of a group. */
  public static String levelOf(String group) {
    return group.substring(group.indexOf('_') + 1);
  }

  @Override
  public PCollection<GroupCount> expand(PCollectionTuple input) {
    TypeDescriptor<KV<String, StudentChange>> changeType =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(StudentChange.class));
    KvCoder<String, StudentChange> changeCoder = KvCoder.of(StringUtf8Coder.of(), StudentChange.StudentChangeCoder.of());
    PCollection<KV<String, StudentChange>> students =
        input.get(STUDENTS)
            .apply("StudentsById", MapElements.into(changeType).via((StudentRow s) -> KV.of(s.id(), StudentChange.of(s))))
            .setCoder(changeCoder);
    PCollection<KV<String, StudentChange>> users =
        input.get(USERS)
            .apply("UsersById", MapElements.into(changeType).via((UserRow u) -> KV.of(u.id(), StudentChange.of(u))))
            .setCoder(changeCoder);
    KvCoder<String, ChannelEvent> eventCoder = KvCoder.of(StringUtf8Coder.of(), ChannelEvent.ChannelEventCoder.of());
    PCollection<KV<String, ChannelEvent>> placements =
        PCollectionList.of(students)
            .and(users)
            .apply("StudentRows", Flatten.pCollections())
            .apply("GlobalStudents", Window.<KV<String, StudentChange>>into(new GlobalWindows()))
            .apply("LatestPerStudent", ParDo.of(new LatestPerStudent(filter, zoneId, ttl)))
            .setCoder(eventCoder);
    PCollection<KV<String, ChannelEvent>> levels =
        input.get(LEVELS)
            .apply(
                "LevelsByChannel",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(ChannelEvent.class)))
                    .via((LevelEntry e) -> KV.of(e.id(), ChannelEvent.level(e))))
            .setCoder(eventCoder)
            .apply("GlobalLevels", Window.<KV<String, ChannelEvent>>into(new GlobalWindows()));
    return PCollectionList.of(placements)
        .and(levels)
        .apply("ChannelEvents", Flatten.pCollections())
        .apply("LevelPerChannel", ParDo.of(new LevelPerChannel()))
        .setCoder(CountUpdate.CountUpdateCoder.of())
        .apply("Leads", RetractingCount.create("c6_"));
  }

  static boolean newer(StudentRow a, StudentRow b) {
    return b == null || StudentRow.compare(a, b) > 0;
  }

  static boolean newer(UserRow a, UserRow b) {
    return b == null || UserRow.compare(a, b) > 0;
  }

  static boolean newer(LevelEntry a, LevelEntry b) {
    return b == null || LevelEntry.compare(a, b) > 0;
  }

  /** The hour a student counts in, or null: it needs a user row that passes the filter and a registration time. */
  static String countedHour(UserRow user, RegistrationFilter filter, ZoneId zone) {
    if (user == null || user.registerTime() == null || !filter.counts(user)) {
      return null;
    }
    return Periods.hourOf(user.registerTime(), zone);
  }

  /** The channel key of a student row. */
  static String channelOf(StudentRow s) {
    return s.channelId() == null || s.channelId().isBlank() ? NO_CHANNEL : s.channelId();
  }

  /** Stage 1, keyed by student id: the latest rows, and a placement (and a leave) when the place changes. */
  static final class LatestPerStudent extends DoFn<KV<String, StudentChange>, KV<String, ChannelEvent>> {
    private final RegistrationFilter filter;
    private final String zoneId;
    private final Duration ttl;
    private transient ZoneId zone;

    @StateId("student")
    private final StateSpec<ValueState<StudentRow>> studentSpec = StateSpecs.value(StudentRow.StudentRowCoder.of());

    @StateId("user")
    private final StateSpec<ValueState<UserRow>> userSpec = StateSpecs.value(UserRow.UserRowCoder.of());

    /** The channel and hour of the latest placement, and its number. */
    @StateId("channel")
    private final StateSpec<ValueState<String>> channelSpec = StateSpecs.value(StringUtf8Coder.of());

    @StateId("hour")
    private final StateSpec<ValueState<String>> hourSpec = StateSpecs.value(StringUtf8Coder.of());

    @StateId("seq")
    private final StateSpec<ValueState<Long>> seqSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("placed")
    private final StateSpec<ValueState<Boolean>> placedSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    LatestPerStudent(RegistrationFilter filter, String zoneId, Duration ttl) {
      this.filter = filter;
      this.zoneId = zoneId;
      this.ttl = ttl;
    }

    @ProcessElement
    public void process(
        @Element KV<String, StudentChange> e,
        @Timestamp Instant timestamp,
        @StateId("student") ValueState<StudentRow> studentState,
        @StateId("user") ValueState<UserRow> userState,
        @StateId("channel") ValueState<String> channelState,
        @StateId("hour") ValueState<String> hourState,
        @StateId("seq") ValueState<Long> seqState,
        @StateId("placed") ValueState<Boolean> placedState,
        @TimerId("expire") Timer expire,
        OutputReceiver<KV<String, ChannelEvent>> out) {
      if (zone == null) {
        zone = ZoneId.of(zoneId);
      }
      StudentRow student = studentState.read();
      UserRow user = userState.read();
      StudentChange change = e.getValue();
      if (change.student() != null) {
        if (!newer(change.student(), student)) {
          return;
        }
        student = change.student();
        studentState.write(student);
      } else {
        if (!newer(change.user(), user)) {
          return;
        }
        user = change.user();
        userState.write(user);
      }
      long expiresAt = Long.MAX_VALUE;
      if (ttl != null) {
        Instant at = timestamp.plus(ttl);
        expire.set(at);
        expiresAt = at.getMillis();
      }
      if (student == null) {
        return; // a user without a student row is placed nowhere until its student row comes
      }
      String channel = channelOf(student);
      String hour = countedHour(user, filter, zone);
      boolean placed = Boolean.TRUE.equals(placedState.read());
      String lastChannel = channelState.read();
      String lastHour = hourState.read();
      if (placed && channel.equals(lastChannel) && (hour == null ? "" : hour).equals(lastHour)) {
        return;
      }
      Long last = seqState.read();
      // numbers grow with event time too, so a student whose state expired starts above its old numbers
      long seq = Math.max(last == null ? 0 : last + 1, Math.min(Math.max(0, timestamp.getMillis()), 1L << 52) * 1024);
      seqState.write(seq);
      if (placed && !channel.equals(lastChannel)) {
        out.output(KV.of(lastChannel, ChannelEvent.left(e.getKey(), seq, expiresAt)));
      }
      out.output(KV.of(channel, ChannelEvent.placed(e.getKey(), hour, seq, expiresAt)));
      placedState.write(true);
      channelState.write(channel);
      hourState.write(hour == null ? "" : hour);
    }

    @OnTimer("expire")
    public void onExpire(
        @StateId("student") ValueState<StudentRow> studentState,
        @StateId("user") ValueState<UserRow> userState,
        @StateId("channel") ValueState<String> channelState,
        @StateId("hour") ValueState<String> hourState,
        @StateId("placed") ValueState<Boolean> placedState) {
      // the number is kept: a student seen again after its TTL must still number above its old placements
      studentState.clear();
      userState.clear();
      channelState.clear();
      hourState.clear();
      placedState.clear();
    }
  }

  /** Stage 2, keyed by channel id: the channel's level, its students, and their updates. */
  static final class LevelPerChannel extends DoFn<KV<String, ChannelEvent>, CountUpdate> {
    @StateId("level")
    private final StateSpec<ValueState<LevelEntry>> levelSpec = StateSpecs.value(LevelEntry.LevelEntryCoder.of());

    @StateId("levelRevision")
    private final StateSpec<ValueState<Long>> revisionSpec = StateSpecs.value(VarLongCoder.of());

    /** Per student: (its placement's number, its expiry) and its hour ("" for none, {@link #LEFT}). */
    @StateId("places")
    private final StateSpec<MapState<String, KV<KV<Long, Long>, String>>> placesSpec =
        StateSpecs.map(StringUtf8Coder.of(), KvCoder.of(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()), StringUtf8Coder.of()));

    @ProcessElement
    public void process(
        @Element KV<String, ChannelEvent> e,
        @StateId("level") ValueState<LevelEntry> levelState,
        @StateId("levelRevision") ValueState<Long> revisionState,
        @StateId("places") MapState<String, KV<KV<Long, Long>, String>> places,
        OutputReceiver<CountUpdate> out) {
      ChannelEvent event = e.getValue();
      LevelEntry level = levelState.read();
      Long stored = revisionState.read();
      long revision = stored == null ? 0 : stored;
      if (event.level() != null) {
        if (!newer(event.level(), level)) {
          return;
        }
        String before = bucketOf(level);
        levelState.write(event.level());
        String after = bucketOf(event.level());
        if (after.equals(before)) {
          return;
        }
        revision++;
        revisionState.write(revision);
        for (Map.Entry<String, KV<KV<Long, Long>, String>> place : places.entries().read()) {
          String hour = place.getValue().getValue();
          KV<Long, Long> numbers = place.getValue().getKey();
          if (!LEFT.equals(hour) && !hour.isEmpty()) {
            out.output(new CountUpdate(place.getKey(), group(hour, after), numbers.getKey(), 1 + revision, numbers.getValue()));
          }
        }
        return;
      }
      KV<KV<Long, Long>, String> place = places.get(event.studentId()).read();
      if (place != null && place.getKey().getKey() >= event.seq()) {
        return; // an older placement or leave than the one kept
      }
      if (event.leave()) {
        places.put(event.studentId(), KV.of(KV.of(event.seq(), event.expiresAt()), LEFT));
        out.output(new CountUpdate(event.studentId(), null, event.seq(), 0, event.expiresAt()));
        return;
      }
      places.put(event.studentId(), KV.of(KV.of(event.seq(), event.expiresAt()), event.hour() == null ? "" : event.hour()));
      String group = event.hour() == null ? null : group(event.hour(), bucketOf(level));
      out.output(new CountUpdate(event.studentId(), group, event.seq(), 1 + revision, event.expiresAt()));
    }

    private static String bucketOf(LevelEntry level) {
      return LevelEntry.bucket(level == null ? null : level.level());
    }
  }

  /** The hour a channel keeps for a student that has left it. */
  static final String LEFT = "left";
}
