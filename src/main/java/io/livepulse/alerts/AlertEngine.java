package io.livepulse.alerts;

import io.livepulse.bus.Figures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the rules against each room's figures once a second, where the room's figures are (its
 * owner). Plain Java: one owning thread, no I/O. A rule fires when its condition holds (for
 * {@code seconds}, for thresholds), at most once per {@code cooldownSeconds}, and resolves when the
 * condition no longer holds; a milestone fires once a session and does not resolve.
 */
public final class AlertEngine {
  /** What a room's owner knows about it at the close of a second. */
  public record RoomSecond(Figures.RoomTick tick, long lastEventSecond, long lastOrderSecond) {
    boolean live() {
      return !"ended".equals(tick.meta().status());
    }
  }

  /** A rule firing or resolving for a room; {@code value} is the figure (or the seconds it measured). */
  public record Transition(AlertRule rule, String room, boolean firing, double value, long second) {
  }

  private static final class State {
    int session;
    boolean firing;
    long since = Long.MIN_VALUE;
    long lastFired = Long.MIN_VALUE;
    /** drop / rise: (second, value) of the last {@code seconds} seconds. */
    ArrayDeque<double[]> window;
  }

  private List<AlertRule> rules = List.of();
  private final Map<String, List<AlertRule>> forRoom = new HashMap<>();
  private final Map<Long, Map<String, State>> states = new HashMap<>();

  /** Replaces the rules; state of rules that still exist is kept. */
  public void rules(List<AlertRule> newRules) {
    rules = List.copyOf(newRules);
    forRoom.clear();
    Set<Long> ids = new HashSet<>();
    newRules.forEach(r -> ids.add(r.id()));
    states.keySet().retainAll(ids);
  }

  public int ruleCount() {
    return rules.size();
  }

  /** Whether any rule watches {@code room} (else its tick need not even be built). */
  public boolean watches(String room) {
    return !rules.isEmpty()
        && !forRoom.computeIfAbsent(room, r -> rules.stream().filter(x -> x.applies(r)).toList()).isEmpty();
  }

  /** A room left this owner: its state goes (a new owner starts afresh). */
  public void forget(String room) {
    forRoom.remove(room);
    states.values().forEach(m -> m.remove(room));
  }

  public List<Transition> evaluate(long second, RoomSecond in) {
    String room = in.tick().room();
    List<AlertRule> applicable = forRoom.computeIfAbsent(room, r -> rules.stream().filter(x -> x.applies(r)).toList());
    if (applicable.isEmpty()) {
      return List.of();
    }
    List<Transition> out = null;
    for (AlertRule rule : applicable) {
      State st = states.computeIfAbsent(rule.id(), k -> new HashMap<>()).computeIfAbsent(room, k -> new State());
      if (st.session != in.tick().session()) {
        State fresh = new State();
        fresh.session = in.tick().session();
        states.get(rule.id()).put(room, fresh);
        st = fresh;
      }
      Transition t = step(rule, st, second, in);
      if (t != null) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(t);
      }
    }
    return out == null ? List.of() : out;
  }

  private static Transition step(AlertRule rule, State st, long second, RoomSecond in) {
    double v = AlertFigures.value(rule.figure(), in.tick());
    boolean holds;
    double shown = v;
    switch (rule.op()) {
      case BELOW -> holds = held(st, v < rule.value(), second, rule.seconds());
      case ABOVE -> holds = held(st, v > rule.value(), second, rule.seconds());
      case DROP, RISE -> {
        double change = change(st, second, v, rule.seconds());
        holds = !Double.isNaN(change) && (rule.op() == AlertRule.Op.DROP ? change <= -rule.value() : change >= rule.value());
      }
      case STALL -> {
        long quiet = second - Math.max(in.lastOrderSecond(), sessionStart(in, second));
        shown = quiet;
        holds = in.live() && quiet >= rule.seconds() && in.tick().totals().online() > rule.minOnline();
      }
      case SILENT -> {
        long quiet = second - in.lastEventSecond();
        shown = quiet;
        holds = in.live() && in.lastEventSecond() != Long.MIN_VALUE && quiet >= rule.seconds();
      }
      case MILESTONE -> holds = v >= rule.value() || st.firing;
      case PACE -> {
        long elapsed = in.tick().totals().watch().liveSeconds();
        double expected = rule.value() * Math.min(1.0, (double) elapsed / Math.max(1, rule.seconds()));
        holds = in.live() && elapsed >= 60 && v < expected * (1 - rule.percent() / 100.0);
      }
      default -> throw new IllegalStateException("unknown op " + rule.op());
    }
    if (holds && !st.firing && (st.lastFired == Long.MIN_VALUE || second - st.lastFired >= rule.cooldownSeconds())) {
      st.firing = true;
      st.lastFired = second;
      return new Transition(rule, in.tick().room(), true, shown, second);
    }
    if (!holds && st.firing) {
      st.firing = false;
      return new Transition(rule, in.tick().room(), false, shown, second);
    }
    return null;
  }

  /** A stall counts from the session's first live second, not from the epoch, when nothing sold yet. */
  private static long sessionStart(RoomSecond in, long second) {
    return second - in.tick().totals().watch().liveSeconds();
  }

  /** Whether {@code now} has held for {@code seconds} seconds in a row (0 or 1: at once). */
  private static boolean held(State st, boolean now, long second, long seconds) {
    if (!now) {
      st.since = Long.MIN_VALUE;
      return false;
    }
    if (st.since == Long.MIN_VALUE) {
      st.since = second;
    }
    return second - st.since + 1 >= Math.max(1, seconds);
  }

  /** Percent change of the figure over the last {@code seconds}; NaN until the window is full or from 0. */
  private static double change(State st, long second, double v, long seconds) {
    if (st.window == null) {
      st.window = new ArrayDeque<>();
    }
    st.window.addLast(new double[] {second, v});
    while (st.window.size() > 1 && st.window.peekFirst()[0] < second - seconds) {
      st.window.pollFirst();
    }
    double[] first = st.window.peekFirst();
    if (first[0] > second - seconds || first[1] <= 0) {
      return Double.NaN;
    }
    return (v - first[1]) / first[1] * 100.0;
  }
}
