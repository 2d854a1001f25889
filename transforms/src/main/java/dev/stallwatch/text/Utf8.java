package dev.stallwatch.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: text that is not valid UTF-8 is reported, never repaired in silence. */
public final class Utf8 {
  private Utf8() {}

  /** Bytes {@code [offset, offset + length)} of {@code bytes} as text, or null when they are not UTF-8. */
  public static String decodeOrNull(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
