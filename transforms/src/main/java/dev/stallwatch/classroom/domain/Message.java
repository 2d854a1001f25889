package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One input message of a classroom job as its source gives it: the record's key (null when it has
 * none; C1 writes its output under the same key), the value's text, and its origin ({@code
 * topic/partition/offset}, or {@code file:line} of a dump) for dead letters.
 */
public record Message(String key, String value, String origin) implements Serializable {
  /** Coder of {@link Message}: three strings, the key nullable. */
  public static final class MessageCoder extends AtomicCoder<Message> {
    private static final MessageCoder INSTANCE = new MessageCoder();

    public static MessageCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Message m, OutputStream out) throws IOException {
      out.write(m.key == null ? 0 : 1);
      if (m.key != null) {
        StreamCodec.writeString(m.key, out);
      }
      StreamCodec.writeString(m.value, out);
      StreamCodec.writeString(m.origin, out);
    }

    @Override
    public Message decode(InputStream in) throws IOException {
      int hasKey = in.read();
      if (hasKey < 0) {
        throw new java.io.EOFException("a Message's key flag");
      }
      String key = hasKey == 1 ? StreamCodec.readString(in) : null;
      return new Message(key, StreamCodec.readString(in), StreamCodec.readString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
