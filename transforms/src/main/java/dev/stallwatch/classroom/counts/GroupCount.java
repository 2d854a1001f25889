package dev.stallwatch.classroom.counts;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A group's new count after a change, the output of {@link RetractingCount}. {@code revision} is 1,
 * 2, 3… along the group's changes, so a sink that may see the rows out of order (a retried bundle,
 * parallel writers) keeps the one with the highest revision; a count that drops to 0 is a row too.
 */
@DefaultCoder(GroupCount.GroupCountCoder.class)
public record GroupCount(String group, long count, long revision) implements Serializable {

  public GroupCount {
    Objects.requireNonNull(group, "group");
  }

  /** Coder of {@link GroupCount}. Deterministic. */
  public static final class GroupCountCoder extends AtomicCoder<GroupCount> {
    private static final GroupCountCoder INSTANCE = new GroupCountCoder();

    public static GroupCountCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(GroupCount c, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putString(c.group);
      f.putLong(c.count);
      f.putLong(c.revision);
      f.writeTo(out);
    }

    @Override
    public GroupCount decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new GroupCount(f.getString(), f.getLong(), f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
