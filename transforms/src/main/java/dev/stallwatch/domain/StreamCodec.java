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
public final class StreamCodec {
  private StreamCodec() {}

  private static final ThreadLocal<Frame> FRAMES = ThreadLocal.withInitial(Frame::new);

  /** An empty frame of this thread to write one record's fields into; see {@link Frame#writeTo}. */
  public static Frame frame() {
    Frame f = FRAMES.get();
    f.length = 0;
    return f;
  }

  /** Reads one frame written by {@link Frame#writeTo} into this thread's frame, to read from. */
  public static Frame readFrame(InputStream in) throws IOException {
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
  public static final class Frame {
    private byte[] bytes;
    private int length;
    private int position;

    Frame() {
      bytes = new byte[512];
    }

    /** A frame to read the bytes of a block ({@link #getBlock}) from. */
    static Frame over(byte[] block) {
      return new Frame(block);
    }

    private Frame(byte[] block) {
      bytes = block;
      length = block.length;
    }

    private void ensure(int capacity) {
      if (bytes.length < capacity) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
      }
    }

    public void putString(String value) {
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

    public void putLong(long value) {
      ensure(length + 10);
      long v = value;
      while ((v & ~0x7FL) != 0) {
        bytes[length++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[length++] = (byte) v;
    }

    public String getString() throws IOException {
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

    public long getLong() throws IOException {
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

    /**
     * Starts a block: fields written until {@link #endBlock} can later be read back as one byte
     * array ({@link #getBlock}). Answers the mark to end it with.
     */
    int beginBlock() {
      ensure(length + 4);
      length += 4;
      return length;
    }

    /** Ends the block begun at {@code mark}, writing its length (four bytes, big-endian) before it. */
    void endBlock(int mark) {
      int n = length - mark;
      bytes[mark - 4] = (byte) (n >>> 24);
      bytes[mark - 3] = (byte) (n >>> 16);
      bytes[mark - 2] = (byte) (n >>> 8);
      bytes[mark - 1] = (byte) n;
    }

    /** Appends a block read by {@link #getBlock}, as it was. */
    void putBlock(byte[] block) {
      ensure(length + 4 + block.length);
      int n = block.length;
      bytes[length++] = (byte) (n >>> 24);
      bytes[length++] = (byte) (n >>> 16);
      bytes[length++] = (byte) (n >>> 8);
      bytes[length++] = (byte) n;
      System.arraycopy(block, 0, bytes, length, n);
      length += n;
    }

    /** Reads a block's bytes, still encoded. */
    byte[] getBlock() throws IOException {
      if (position + 4 > length) {
        throw new EOFException("block length overruns its record");
      }
      int n =
          ((bytes[position] & 0xFF) << 24)
              | ((bytes[position + 1] & 0xFF) << 16)
              | ((bytes[position + 2] & 0xFF) << 8)
              | (bytes[position + 3] & 0xFF);
      position += 4;
      if (n < 0 || position + n > length) {
        throw new EOFException("block of " + n + " bytes overruns its record");
      }
      byte[] block = java.util.Arrays.copyOfRange(bytes, position, position + n);
      position += n;
      return block;
    }

    /** Writes the frame's length and bytes to {@code out} in one call each. */
    public void writeTo(OutputStream out) throws IOException {
      VarInt.encode(length, out);
      out.write(bytes, 0, length);
    }
  }

  /** A string as its UTF-8 length and bytes. */
  public static void writeString(String value, OutputStream out) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(bytes.length, out);
    out.write(bytes);
  }

  /** A string {@link #writeString} wrote. */
  public static String readString(InputStream in) throws IOException {
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
