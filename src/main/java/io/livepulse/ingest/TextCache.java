package io.livepulse.ingest;

/**
 * One String per distinct short value (room ids, types, actions, sources, skus) read from a parser's
 * character buffer, so that a frame of a hundred events does not build a hundred copies of the same
 * few ids, and every map lookup downstream finds a key whose hash is already computed.
 *
 * <p>Direct-mapped and bounded: a value whose slot holds another one replaces it, so memory stays at
 * {@link #SLOTS} references however many distinct values arrive; a miss only costs the String that
 * would have been built anyway. Pure, one instance per parser (not thread-safe).
 */
final class TextCache {
  static final int SLOTS = 4096;
  /** Longer values (titles, free text) are rarely repeated and are not kept. */
  static final int MAX_LENGTH = 64;

  private final String[] table = new String[SLOTS];

  /** The cached String equal to {@code chars[offset, offset + length)}, or null. */
  String find(char[] chars, int offset, int length) {
    if (length > MAX_LENGTH) {
      return null;
    }
    int h = hash(chars, offset, length);
    String s = table[slot(h)];
    if (s == null || s.length() != length || s.hashCode() != h) {
      return null;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return null;
      }
    }
    return s;
  }

  /** Keeps {@code s} for later {@link #find} calls (only values that passed validation are kept). */
  void keep(String s) {
    if (s.length() <= MAX_LENGTH) {
      table[slot(s.hashCode())] = s;
    }
  }

  /** {@link String#hashCode()}'s formula, over the characters. */
  private static int hash(char[] chars, int offset, int length) {
    int h = 0;
    for (int i = 0; i < length; i++) {
      h = 31 * h + chars[offset + i];
    }
    return h;
  }

  private static int slot(int h) {
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
