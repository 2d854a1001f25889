package dev.stallwatch.domain;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.util.VarInt;

/** Compact binary encoding of the fields our coders write: var-length ints and UTF-8 strings. */
final class StreamCodec {
  private StreamCodec() {}

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
