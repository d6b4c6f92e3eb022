package io.livepulse.aggregate;

import io.livepulse.bus.Figures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which traffic sources count as paid, private-domain or natural (everything not listed), the split
 * brands report ("the share of natural flow rose from 14 % to 36 %"). Plain Java; set once at start.
 */
public final class SourceGroups {
  public static final String NATURAL = "natural";
  public static final String PAID = "paid";
  public static final String PRIVATE = "private";
  static final List<String> GROUPS = List.of(NATURAL, PAID, PRIVATE);

  /** The default of issue 11: ads are paid; follow, fans, group and private are private-domain. */
  public static final String DEFAULT_SPEC = "paid=ads;private=follow,fans,group,private";
  public static final SourceGroups DEFAULT = parse(DEFAULT_SPEC);

  private final Map<String, String> groupOf;
  private final String spec;

  private SourceGroups(Map<String, String> groupOf, String spec) {
    this.groupOf = groupOf;
    this.spec = spec;
  }

  /**
   * {@code paid=ads,qianchuan;private=follow,fans}: groups {@code paid} and {@code private} (and
   * {@code natural}, for sources that must be natural even if listed elsewhere later), each with its
   * sources; a source may be in one group only.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SourceGroups parse(String spec) {
    Map<String, String> groupOf = new LinkedHashMap<>();
    String s = spec == null ? "" : spec.strip();
    if (s.isEmpty()) {
      return new SourceGroups(groupOf, "");
    }
    for (String part : s.split(";")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + p + "' must look like group=source,source");
      }
      String group = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (!GROUPS.contains(group)) {
        throw new IllegalArgumentException("group '" + group + "' must be one of " + String.join(", ", GROUPS));
      }
      for (String src : p.substring(eq + 1).split(",")) {
        String source = src.strip();
        if (source.isEmpty() || source.length() > 32) {
          throw new IllegalArgumentException("sources of group " + group + " must be 1-32 characters each");
        }
        String before = groupOf.putIfAbsent(source, group);
        if (before != null && !before.equals(group)) {
          throw new IllegalArgumentException("source '" + source + "' is in both " + before + " and " + group);
        }
      }
    }
    return new SourceGroups(groupOf, s);
  }

  public String groupOf(String source) {
    return groupOf.getOrDefault(source, NATURAL);
  }

  public String spec() {
    return spec;
  }

  /** Natural, paid and private-domain entries and net GMV, with shares summing to 100. */
  public List<Figures.SourceGroup> group(Map<String, Long> entries, List<Figures.SourceSales> sales) {
    long[] e = new long[GROUPS.size()];
    long[] gmv = new long[GROUPS.size()];
    long[] orders = new long[GROUPS.size()];
    entries.forEach((source, n) -> e[GROUPS.indexOf(groupOf(source))] += n);
    for (Figures.SourceSales s : sales) {
      int g = GROUPS.indexOf(groupOf(s.source()));
      gmv[g] += Math.max(0, s.gmvCents());
      orders[g] += s.orders();
    }
    double[] entryShare = shares(e);
    double[] gmvShare = shares(gmv);
    List<Figures.SourceGroup> out = new ArrayList<>(GROUPS.size());
    for (int g = 0; g < GROUPS.size(); g++) {
      out.add(new Figures.SourceGroup(GROUPS.get(g), e[g], entryShare[g], gmv[g], gmvShare[g], orders[g]));
    }
    return out;
  }

  /**
   * Percentages with one decimal that sum to exactly 100.0 (largest remainder: the tenths lost to
   * rounding down go to the parts that lost most). All zero when the total is zero.
   */
  static double[] shares(long[] parts) {
    long total = 0;
    for (long p : parts) {
      total += p;
    }
    double[] out = new double[parts.length];
    if (total <= 0) {
      return out;
    }
    long[] tenths = new long[parts.length];
    long[] remainder = new long[parts.length];
    long given = 0;
    for (int i = 0; i < parts.length; i++) {
      // In tenths of a percent, exactly: parts[i] * 1000 can pass a long for large sums of cents.
      java.math.BigInteger scaled = java.math.BigInteger.valueOf(parts[i]).multiply(java.math.BigInteger.valueOf(1000));
      java.math.BigInteger[] qr = scaled.divideAndRemainder(java.math.BigInteger.valueOf(total));
      tenths[i] = qr[0].longValue();
      remainder[i] = qr[1].longValue();
      given += tenths[i];
    }
    for (long left = 1000 - given; left > 0; left--) {
      int best = -1;
      for (int i = 0; i < parts.length; i++) {
        if (best < 0 || remainder[i] > remainder[best]) {
          best = i;
        }
      }
      tenths[best]++;
      remainder[best] = -1;
    }
    for (int i = 0; i < parts.length; i++) {
      out[i] = tenths[i] / 10.0;
    }
    return out;
  }
}
