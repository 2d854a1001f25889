package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Session windows of one applicant: each event opens {@code [time, time + gap)} for its applicant,
 * and windows of the same applicant that overlap merge — exactly Beam's {@code Sessions}, with the
 * applicant carried in the window instead of being the key.
 *
 * <p>Several gaps can share one grouping: each event then opens one window per gap, and only
 * windows of the same applicant and gap merge, so every gap keeps its own sessions while the
 * events are shuffled and stored once (a runner encodes an element with all its windows).
 *
 * <p>Why: the key of the grouping is then a bucket of applicants. A runner pays a fixed cost per
 * key and bundle (the direct runner about a millisecond or more), which for one key per applicant
 * made a million-row backfill take hours; a few thousand buckets keep that cost flat while every
 * window still belongs to one applicant.
 */
public final class ApplicantSessions extends WindowFn<KV<Integer, Event>, ApplicantSessions.Window> {
  private final long[] gaps;

  private ApplicantSessions(long[] gaps) {
    this.gaps = gaps;
  }

  public static ApplicantSessions withGapDuration(Duration gap) {
    return withGapDurations(List.of(gap));
  }

  /** One session family per distinct gap, all in one grouping. */
  public static ApplicantSessions withGapDurations(Collection<Duration> gaps) {
    long[] millis = gaps.stream().mapToLong(Duration::getMillis).distinct().sorted().toArray();
    if (millis.length == 0 || millis[0] <= 0) {
      throw new IllegalArgumentException("session gaps must be positive, got " + gaps);
    }
    return new ApplicantSessions(millis);
  }

  @Override
  public Collection<Window> assignWindows(AssignContext c) {
    long start = c.timestamp().getMillis();
    String applicant = c.element().getValue().applicantKey();
    if (gaps.length == 1) {
      return List.of(new Window(applicant, gaps[0], start, start + gaps[0]));
    }
    List<Window> windows = new ArrayList<>(gaps.length);
    for (long gap : gaps) {
      windows.add(new Window(applicant, gap, start, start + gap));
    }
    return windows;
  }

  /** The sessions of one applicant and one gap: only these may merge. */
  private record Family(String applicant, long gap) {}

  @Override
  public void mergeWindows(MergeContext c) throws Exception {
    Map<Family, List<Window>> byFamily = new HashMap<>();
    for (Window w : c.windows()) {
      byFamily.computeIfAbsent(new Family(w.applicant, w.gap), f -> new ArrayList<>()).add(w);
    }
    for (List<Window> windows : byFamily.values()) {
      if (windows.size() < 2) {
        continue;
      }
      windows.sort((a, b) -> Long.compare(a.start, b.start));
      List<Window> run = new ArrayList<>();
      long runEnd = Long.MIN_VALUE;
      for (Window w : windows) {
        if (!run.isEmpty() && w.start < runEnd) {
          run.add(w);
          runEnd = Math.max(runEnd, w.end);
          continue;
        }
        merge(c, run, runEnd);
        run = new ArrayList<>();
        run.add(w);
        runEnd = w.end;
      }
      merge(c, run, runEnd);
    }
  }

  private static void merge(MergeContext c, List<Window> run, long end) throws Exception {
    if (run.size() > 1) {
      Window first = run.get(0);
      c.merge(run, new Window(first.applicant, first.gap, first.start, end));
    }
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return equals(other);
  }

  @Override
  public Coder<Window> windowCoder() {
    return WindowCoder.INSTANCE;
  }

  @Override
  public WindowMappingFn<Window> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("applicant sessions cannot window a side input");
  }

  @Override
  public boolean assignsToOneWindow() {
    return gaps.length == 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApplicantSessions && Arrays.equals(gaps, ((ApplicantSessions) o).gaps);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(gaps);
  }

  /**
   * {@code [start, end)} of one applicant's session with one gap.
   *
   * <p>Comparable, in an order consistent with {@code equals}, for Beam's Spark runner: its
   * combine keeps a key's merging windows in a sorted map, ordered by the windows' own order when
   * they have one and else by {@link #maxTimestamp} alone, so sessions of two applicants of one key
   * bucket that ended at the same instant would be taken for one window and combined together.
   */
  public static final class Window extends BoundedWindow implements Comparable<Window> {
    private final String applicant;
    private final long gap;
    private final long start;
    private final long end;

    Window(String applicant, long gap, long start, long end) {
      this.applicant = applicant;
      this.gap = gap;
      this.start = start;
      this.end = end;
    }

    public String applicant() {
      return applicant;
    }

    /** The gap of the session family this window belongs to. */
    public Duration gap() {
      return Duration.millis(gap);
    }

    public Instant start() {
      return new Instant(start);
    }

    public Instant end() {
      return new Instant(end);
    }

    @Override
    public Instant maxTimestamp() {
      return new Instant(end - 1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Window
          && start == ((Window) o).start
          && end == ((Window) o).end
          && gap == ((Window) o).gap
          && applicant.equals(((Window) o).applicant);
    }

    @Override
    public int hashCode() {
      return Objects.hash(applicant, gap, start, end);
    }

    /** By end, then start, gap and applicant: the windows {@code equals} calls equal compare as 0. */
    @Override
    public int compareTo(Window o) {
      int c = Long.compare(end, o.end);
      if (c == 0) {
        c = Long.compare(start, o.start);
      }
      if (c == 0) {
        c = Long.compare(gap, o.gap);
      }
      return c != 0 ? c : applicant.compareTo(o.applicant);
    }

    @Override
    public String toString() {
      return "[" + applicant.replace('\u0001', '/') + " " + start() + ".." + end() + " gap " + gap() + ")";
    }
  }

  private static final class WindowCoder extends AtomicCoder<Window> {
    static final WindowCoder INSTANCE = new WindowCoder();

    // One frame per window, written and read in one call each: a runner's stream pays per call,
    // and every event carries its window through the grouping.
    @Override
    public void encode(Window w, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putString(w.applicant);
      f.putLong(w.gap);
      f.putLong(w.start);
      f.putLong(w.end - w.start);
      f.writeTo(out);
    }

    @Override
    public Window decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      String applicant = f.getString();
      long gap = f.getLong();
      long start = f.getLong();
      return new Window(applicant, gap, start, start + f.getLong());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
