package dev.stallwatch.domain;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.util.VarInt;

/**
 * Compact binary encoding of the fields our coders write: var-length ints and UTF-8 strings.
 *
 * <p>The records that cross every shuffle (events, stalls, alerts) are written as one frame — its
 * length, then its fields — built in a reused per-thread buffer: a runner's output view pays a
 * call per write, so one write of the frame costs far less than a dozen small ones, and reading
 * the frame at once lets the fields be decoded from an array.
 */
final class StreamCodec {
  private StreamCodec() {}

  private static final ThreadLocal<Frame> FRAMES = ThreadLocal.withInitial(Frame::new);

  /** An empty frame of this thread to write one record's fields into; see {@link Frame#writeTo}. */
  static Frame frame() {
    Frame f = FRAMES.get();
    f.length = 0;
    return f;
  }

  /** Reads one frame written by {@link Frame#writeTo} into this thread's frame, to read from. */
  static Frame readFrame(InputStream in) throws IOException {
    Frame f = FRAMES.get();
    int length = VarInt.decodeInt(in);
    f.ensure(length);
    int read = 0;
    while (read < length) {
      int n = in.read(f.bytes, read, length - read);
      if (n < 0) {
        throw new EOFException("record truncated after " + read + " of " + length + " bytes");
      }
      read += n;
    }
    f.length = length;
    f.position = 0;
    return f;
  }

  /** A growable byte buffer: fields are appended, then read back in the same order. */
  static final class Frame {
    private byte[] bytes = new byte[512];
    private int length;
    private int position;

    private void ensure(int capacity) {
      if (bytes.length < capacity) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
      }
    }

    void putString(String value) {
      int n = value.length();
      ensure(length + 5 + 3 * n);
      int at = length + 1; // assume a one-byte length; move the bytes if it takes more
      int end = at;
      for (int i = 0; i < n; i++) {
        char ch = value.charAt(i);
        if (ch >= 0x80) {
          end = -1;
          break;
        }
        bytes[end++] = (byte) ch;
      }
      if (end >= 0 && end - at < 0x80) {
        bytes[length] = (byte) (end - at);
        length = end;
        return;
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      putLong(utf8.length);
      ensure(length + utf8.length);
      System.arraycopy(utf8, 0, bytes, length, utf8.length);
      length += utf8.length;
    }

    void putLong(long value) {
      ensure(length + 10);
      long v = value;
      while ((v & ~0x7FL) != 0) {
        bytes[length++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[length++] = (byte) v;
    }

    String getString() throws IOException {
      int n = (int) getLong();
      if (n == 0) {
        return "";
      }
      if (n < 0 || position + n > length) {
        throw new EOFException("string of " + n + " bytes overruns its record");
      }
      String value = new String(bytes, position, n, StandardCharsets.UTF_8);
      position += n;
      return value;
    }

    long getLong() throws IOException {
      long result = 0;
      int shift = 0;
      while (true) {
        if (position >= length || shift > 63) {
          throw new EOFException("number overruns its record");
        }
        byte b = bytes[position++];
        result |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return result;
        }
        shift += 7;
      }
    }

    /** Writes the frame's length and bytes to {@code out} in one call each. */
    void writeTo(OutputStream out) throws IOException {
      VarInt.encode(length, out);
      out.write(bytes, 0, length);
    }
  }

  static void writeString(String value, OutputStream out) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(bytes.length, out);
    out.write(bytes);
  }

  static String readString(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length == 0) {
      return "";
    }
    byte[] bytes = new byte[length];
    int read = 0;
    while (read < length) {
      int n = in.read(bytes, read, length - read);
      if (n < 0) {
        throw new EOFException("string truncated after " + read + " of " + length + " bytes");
      }
      read += n;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeLong(long value, OutputStream out) throws IOException {
    VarInt.encode(value, out);
  }

  static long readLong(InputStream in) throws IOException {
    return VarInt.decodeLong(in);
  }

  static void writeInt(int value, OutputStream out) throws IOException {
    VarInt.encode(value, out);
  }

  static int readInt(InputStream in) throws IOException {
    return VarInt.decodeInt(in);
  }
}
