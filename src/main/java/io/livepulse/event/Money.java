package io.livepulse.event;

import java.math.BigDecimal;

/** Money is carried as a long number of cents everywhere; this is the only place that converts. */
public final class Money {
  public static final long MAX_AMOUNT_CENTS = 1_000_000_000_00L;
  private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(MAX_AMOUNT_CENTS, 2);
  /** Longer literals are never valid amounts; refusing them early keeps BigDecimal cheap. */
  private static final int MAX_LITERAL_LENGTH = 40;

  private Money() {
  }

  /** Result of parsing an amount literal: cents, or an error rule (without the field name). */
  public record Parsed(long cents, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * Parses an amount written as a JSON number or numeric string.
   *
   * @param positive true when zero is not allowed (refunds)
   */
  public static Parsed parse(String literal, boolean positive) {
    if (literal == null || literal.isEmpty() || literal.length() > MAX_LITERAL_LENGTH) {
      return new Parsed(0, "must be a number");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(literal);
    } catch (NumberFormatException e) {
      return new Parsed(0, "must be a number");
    }
    if (!plainDecimal(literal)) {
      return new Parsed(0, "must be a number written with ASCII digits 0-9 and at most one '.'");
    }
    if (positive ? value.signum() <= 0 : value.signum() < 0) {
      return new Parsed(0, positive ? "must be > 0" : "must be >= 0");
    }
    if (value.compareTo(MAX_AMOUNT) > 0) {
      return new Parsed(0, "must be at most 1000000000");
    }
    if (value.stripTrailingZeros().scale() > 2) {
      return new Parsed(0, "must have at most 2 decimals");
    }
    return new Parsed(value.movePointRight(2).longValueExact(), null);
  }

  /**
   * An optional '-' (so that a negative amount gets its own clear rule), ASCII digits, at most one
   * '.' between digits. BigDecimal alone would also take '+1', exponents, and Arabic-Indic or
   * full-width digits.
   */
  private static boolean plainDecimal(String s) {
    int i = s.charAt(0) == '-' ? 1 : 0;
    int digitsBefore = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      digitsBefore++;
    }
    if (i == s.length()) {
      return digitsBefore > 0;
    }
    if (s.charAt(i) != '.' || digitsBefore == 0) {
      return false;
    }
    i++;
    int digitsAfter = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      digitsAfter++;
    }
    return i == s.length() && digitsAfter > 0;
  }

  public static BigDecimal toDecimal(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  public static String format(long cents) {
    return toDecimal(cents).toPlainString();
  }
}
