package io.livepulse.alerts;

import io.livepulse.bus.Figures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures a rule may watch, by the names of the {@code totals} and {@code now} objects of a tick
 * (money in yuan, ratios as fractions, as they are sent).
 */
public final class AlertFigures {
  private static final Map<String, ToDoubleFunction<Figures.RoomTick>> FIGURES = new LinkedHashMap<>();

  static {
    totals("gmv", t -> t.gmvCents() / 100.0);
    totals("orders", Figures.Totals::orders);
    totals("units", Figures.Totals::units);
    totals("buyers", Figures.Totals::buyers);
    totals("uv", Figures.Totals::uv);
    totals("views", Figures.Totals::views);
    totals("online", Figures.Totals::online);
    totals("peakOnline", Figures.Totals::peakOnline);
    totals("conversion", Figures.Totals::conversion);
    totals("gpm", t -> t.gpmCents() / 100.0);
    totals("clickers", Figures.Totals::clickers);
    totals("ctr", Figures.Totals::ctr);
    totals("grossGmv", t -> t.grossCents() / 100.0);
    totals("refundAmount", t -> t.refundCents() / 100.0);
    totals("refundOrders", Figures.Totals::refundOrders);
    totals("refundRate", Figures.Totals::refundRate);
    totals("clickToBuy", Figures.Totals::clickToBuy);
    totals("perOrder", t -> t.perOrderCents() / 100.0);
    totals("perBuyer", t -> t.perBuyerCents() / 100.0);
    totals("uvValue", t -> t.uvValueCents() / 100.0);
    totals("avgWatchSeconds", t -> t.watch().avgWatchSeconds());
    totals("avgWatchSeconds15m", t -> t.watch().avgWatchSeconds15m());
    totals("avgOnline", t -> t.watch().avgOnline());
    totals("likes", t -> Math.max(0, t.reported().likes()));
    totals("comments", t -> Math.max(0, t.reported().comments()));
    totals("follows", t -> Math.max(0, t.reported().follows()));
    totals("shares", t -> Math.max(0, t.reported().shares()));
    now("now.gmv", s -> s.gmvCents() / 100.0);
    now("now.orders", Figures.Second::orders);
    now("now.units", Figures.Second::units);
    now("now.views", Figures.Second::views);
    now("now.enters", Figures.Second::enters);
    now("now.leaves", Figures.Second::leaves);
    now("now.online", Figures.Second::online);
  }

  private AlertFigures() {
  }

  private static void totals(String name, ToDoubleFunction<Figures.Totals> f) {
    FIGURES.put(name, t -> f.applyAsDouble(t.totals()));
  }

  private static void now(String name, ToDoubleFunction<Figures.Second> f) {
    FIGURES.put(name, t -> f.applyAsDouble(t.now()));
  }

  public static boolean known(String figure) {
    return FIGURES.containsKey(figure);
  }

  public static String names() {
    return String.join(", ", FIGURES.keySet());
  }

  public static double value(String figure, Figures.RoomTick tick) {
    return FIGURES.get(figure).applyAsDouble(tick);
  }
}
