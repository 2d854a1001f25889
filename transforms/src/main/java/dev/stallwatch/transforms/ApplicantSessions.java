package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
 * <p>Why: the key of the grouping is then a bucket of applicants. A runner pays a fixed cost per
 * key and bundle (the direct runner about a millisecond or more), which for one key per applicant
 * made a million-row backfill take hours; a few thousand buckets keep that cost flat while every
 * window still belongs to one applicant.
 */
public final class ApplicantSessions extends WindowFn<KV<Integer, Event>, ApplicantSessions.Window> {
  private final Duration gap;

  private ApplicantSessions(Duration gap) {
    this.gap = gap;
  }

  public static ApplicantSessions withGapDuration(Duration gap) {
    return new ApplicantSessions(gap);
  }

  public Duration getGapDuration() {
    return gap;
  }

  @Override
  public Collection<Window> assignWindows(AssignContext c) {
    Instant start = c.timestamp();
    return List.of(new Window(c.element().getValue().applicantKey(), start, start.plus(gap)));
  }

  @Override
  public void mergeWindows(MergeContext c) throws Exception {
    Map<String, List<Window>> byApplicant = new HashMap<>();
    for (Window w : c.windows()) {
      byApplicant.computeIfAbsent(w.applicant, a -> new ArrayList<>()).add(w);
    }
    for (List<Window> windows : byApplicant.values()) {
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
      c.merge(run, new Window(run.get(0).applicant, new Instant(run.get(0).start), new Instant(end)));
    }
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof ApplicantSessions && gap.equals(((ApplicantSessions) other).gap);
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
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApplicantSessions && gap.equals(((ApplicantSessions) o).gap);
  }

  @Override
  public int hashCode() {
    return gap.hashCode();
  }

  /** {@code [start, end)} of one applicant. */
  public static final class Window extends BoundedWindow {
    private final String applicant;
    private final long start;
    private final long end;

    Window(String applicant, Instant start, Instant end) {
      this.applicant = applicant;
      this.start = start.getMillis();
      this.end = end.getMillis();
    }

    public String applicant() {
      return applicant;
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
          && applicant.equals(((Window) o).applicant);
    }

    @Override
    public int hashCode() {
      return Objects.hash(applicant, start, end);
    }

    @Override
    public String toString() {
      return "[" + applicant.replace('\u0001', '/') + " " + start() + ".." + end() + ")";
    }
  }

  private static final class WindowCoder extends AtomicCoder<Window> {
    static final WindowCoder INSTANCE = new WindowCoder();

    @Override
    public void encode(Window w, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(w.applicant, out);
      VarLongCoder.of().encode(w.start, out);
      VarLongCoder.of().encode(w.end, out);
    }

    @Override
    public Window decode(InputStream in) throws IOException {
      String applicant = StringUtf8Coder.of().decode(in);
      long start = VarLongCoder.of().decode(in);
      return new Window(applicant, new Instant(start), new Instant(VarLongCoder.of().decode(in)));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
