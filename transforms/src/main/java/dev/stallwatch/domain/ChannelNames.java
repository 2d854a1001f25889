package dev.stallwatch.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/** The channel dimension: display name by {@code channel_code}. */
@DefaultCoder(ChannelNames.ChannelNamesCoder.class)
public final class ChannelNames implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final ChannelNames EMPTY = new ChannelNames(Map.of());

  private final Map<String, String> names;

  private ChannelNames(Map<String, String> names) {
    this.names = names;
  }

  public static ChannelNames empty() {
    return EMPTY;
  }

  public static ChannelNames of(Map<String, String> names) {
    return new ChannelNames(new HashMap<>(names));
  }

  /** The channel's name, empty when the code is unknown. */
  public String nameOf(String channelCode) {
    return names.getOrDefault(channelCode, "");
  }

  public Map<String, String> asMap() {
    return names;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelNames && names.equals(((ChannelNames) o).names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return "ChannelNames" + names;
  }

  /** Coder of {@link ChannelNames}. */
  public static final class ChannelNamesCoder extends AtomicCoder<ChannelNames> {
    private static final ChannelNamesCoder INSTANCE = new ChannelNamesCoder();

    public static ChannelNamesCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ChannelNames c, OutputStream out) throws IOException {
      StreamCodec.writeInt(c.names.size(), out);
      for (Map.Entry<String, String> e : c.names.entrySet()) {
        StreamCodec.writeString(e.getKey(), out);
        StreamCodec.writeString(e.getValue(), out);
      }
    }

    @Override
    public ChannelNames decode(InputStream in) throws IOException {
      int n = StreamCodec.readInt(in);
      Map<String, String> names = new HashMap<>(Math.max(16, n * 2));
      for (int i = 0; i < n; i++) {
        names.put(StreamCodec.readString(in), StreamCodec.readString(in));
      }
      return new ChannelNames(names);
    }
  }
}
