package io.livepulse.aggregate;

/** A well-mixed 64-bit hash of a user id (FNV-1a over chars, then MurmurHash3's fmix64 finaliser). */
final class UserHash {
  private UserHash() {
  }

  static long of(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= s.length();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
