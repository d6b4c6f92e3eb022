package io.livepulse.ingest;

/**
 * Strict UTF-8 check (RFC 3629): Jackson decodes overlong forms and encoded surrogates without
 * complaint, so a frame could smuggle a second spelling of a character past validation.
 */
final class Utf8 {
  private Utf8() {
  }

  /** Offset of the first byte that starts an invalid sequence in {@code [from, to)}, or -1. */
  static int firstInvalid(byte[] data, int from, int to) {
    int i = from;
    while (i < to) {
      int b = data[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int len = sequenceLength(data, i, to);
      if (len == 0) {
        return i;
      }
      i += len;
    }
    return -1;
  }

  /** Length of the valid multi-byte sequence starting at {@code i}, or 0. */
  private static int sequenceLength(byte[] data, int i, int to) {
    int b0 = data[i] & 0xFF;
    int len;
    int min2;
    int max2 = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      min2 = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      // E0: no overlong 3-byte forms; ED: no surrogates (U+D800-U+DFFF).
      min2 = b0 == 0xE0 ? 0xA0 : 0x80;
      max2 = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      // F0: no overlong 4-byte forms; F4: nothing above U+10FFFF.
      min2 = b0 == 0xF0 ? 0x90 : 0x80;
      max2 = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
      return 0;
    }
    if (i + len > to) {
      return 0;
    }
    int b1 = data[i + 1] & 0xFF;
    if (b1 < min2 || b1 > max2) {
      return 0;
    }
    for (int k = 2; k < len; k++) {
      int bk = data[i + k] & 0xFF;
      if (bk < 0x80 || bk > 0xBF) {
        return 0;
      }
    }
    return len;
  }
}
