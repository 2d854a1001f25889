package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * What a session needs to decide a stall: its last event in SPEC order, and how many of its rows
 * were exact duplicates (SPEC §1). Kept by combining, so a session is never buffered whole: the
 * accumulator holds one event and the identities of its rows.
 */
final class SessionTail {
  Event last;
  final Set<String> identities;
  long rows;

  SessionTail(Event last, Set<String> identities, long rows) {
    this.last = last;
    this.identities = identities;
    this.rows = rows;
  }

  long duplicates() {
    return rows - identities.size();
  }

  /** SPEC §1's identity of a row within its applicant. */
  static String identity(Event e) {
    return e.requestNo() + '\u0001' + e.requestStatus() + '\u0001' + e.businessFlag() + '\u0001' + e.eventMillis();
  }

  /** Combines a session's events into its {@link SessionTail}. */
  static final class Fn extends Combine.CombineFn<Event, SessionTail, SessionTail> {
    @Override
    public SessionTail createAccumulator() {
      return new SessionTail(null, new HashSet<>(), 0);
    }

    @Override
    public SessionTail addInput(SessionTail acc, Event e) {
      acc.rows++;
      acc.identities.add(identity(e));
      if (acc.last == null || Event.SPEC_ORDER.compare(e, acc.last) > 0) {
        acc.last = e;
      }
      return acc;
    }

    @Override
    public SessionTail mergeAccumulators(Iterable<SessionTail> accumulators) {
      SessionTail merged = createAccumulator();
      for (SessionTail a : accumulators) {
        merged.rows += a.rows;
        merged.identities.addAll(a.identities);
        if (a.last != null && (merged.last == null || Event.SPEC_ORDER.compare(a.last, merged.last) > 0)) {
          merged.last = a.last;
        }
      }
      return merged;
    }

    @Override
    public SessionTail extractOutput(SessionTail acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<SessionTail> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Event> inputCoder) {
      return Coder.INSTANCE;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<SessionTail> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Event> inputCoder) {
      return Coder.INSTANCE;
    }
  }

  /** Coder of {@link SessionTail}; an empty tail (no event yet) is written with a leading 0. */
  static final class Coder extends AtomicCoder<SessionTail> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(SessionTail t, OutputStream out) throws IOException {
      VarLongCoder.of().encode(t.rows, out);
      if (t.last == null) {
        out.write(0);
      } else {
        out.write(1);
        Event.EventCoder.of().encode(t.last, out);
      }
      VarIntCoder.of().encode(t.identities.size(), out);
      for (String id : t.identities) {
        StringUtf8Coder.of().encode(id, out);
      }
    }

    @Override
    public SessionTail decode(InputStream in) throws IOException {
      long rows = VarLongCoder.of().decode(in);
      Event last = in.read() == 1 ? Event.EventCoder.of().decode(in) : null;
      int n = VarIntCoder.of().decode(in);
      Set<String> ids = new HashSet<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        ids.add(StringUtf8Coder.of().decode(in));
      }
      return new SessionTail(last, ids, rows);
    }
  }
}
