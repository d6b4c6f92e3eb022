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

  public static BigDecimal toDecimal(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  public static String format(long cents) {
    return toDecimal(cents).toPlainString();
  }
}
