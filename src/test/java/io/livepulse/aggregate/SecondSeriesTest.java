package io.livepulse.aggregate;

import io.livepulse.bus.Figures;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-second ring grows with use and still answers every second of its window exactly. */
class SecondSeriesTest {
  static final long T = 1_763_800_000L;

  @Test
  void aFewBusySecondsKeepASmallRing() {
    SecondSeries s = new SecondSeries();
    assertThat(s.allocated()).isFalse();
    s.addSale(T, 100, 1, 1);
    s.addSale(T + 1, 200, 1, 2);
    assertThat(s.capacity()).isEqualTo(SecondSeries.FIRST_CAPACITY);
    assertThat(s.at(T, 0).gmvCents()).isEqualTo(100);
    assertThat(s.at(T + 1, 0).units()).isEqualTo(2);
  }

  @Test
  void growsToTheWholeWindowAndKeepsEverySecondOfIt() {
    SecondSeries s = new SecondSeries();
    for (long t = T; t < T + 1000; t++) {
      s.addSale(t, t - T, 1, 1);
      s.setOnline(t, t - T);
    }
    assertThat(s.capacity()).isEqualTo(SecondSeries.SIZE);
    List<Figures.Second> window = s.window(T + 999);
    assertThat(window).hasSize(SecondSeries.SIZE);
    for (int i = 0; i < SecondSeries.SIZE; i++) {
      long t = T + 700 + i;
      assertThat(window.get(i).second()).isEqualTo(t);
      assertThat(window.get(i).gmvCents()).isEqualTo(t - T);
      assertThat(window.get(i).online()).isEqualTo(t - T);
    }
    assertThat(s.at(T + 699, 7).gmvCents()).as("outside the window").isZero();
  }

  @Test
  void sparseSecondsFarApartReuseSlotsWithoutGrowing() {
    SecondSeries s = new SecondSeries();
    for (int k = 0; k < 20; k++) {
      s.addSale(T + k * 400L, 5, 1, 1);
    }
    assertThat(s.capacity()).isEqualTo(SecondSeries.FIRST_CAPACITY);
    assertThat(s.at(T + 19 * 400L, 0).gmvCents()).isEqualTo(5);
    assertThat(s.at(T + 18 * 400L, 0).gmvCents()).as("expired").isZero();
  }

  @Test
  void aLateSecondInsideTheWindowMakesRoomInsteadOfOverwriting() {
    SecondSeries s = new SecondSeries();
    s.addSale(T + 8, 1, 1, 1);
    s.addSale(T + 4, 2, 1, 1);
    s.addSale(T, 3, 1, 1);
    assertThat(s.at(T + 8, 0).gmvCents()).isEqualTo(1);
    assertThat(s.at(T + 4, 0).gmvCents()).isEqualTo(2);
    assertThat(s.at(T, 0).gmvCents()).isEqualTo(3);
    s.addSale(T - 400, 9, 1, 1);
    assertThat(s.at(T - 400, 0).gmvCents()).as("older than the window: dropped").isZero();
  }

  @Test
  void onlineWrittenOnlyWhenItChangesCarriesAcrossGapsAndTheWindowStart() {
    SecondSeries s = new SecondSeries();
    s.setOnline(T, 40);
    s.setOnline(T + 500, 55);
    List<Figures.Second> window = s.window(T + 600);
    assertThat(window.get(0).online()).as("before the change, still 40 from long ago").isEqualTo(40);
    assertThat(window.get(198).online()).isEqualTo(40);
    assertThat(window.get(199).online()).isEqualTo(55);
    assertThat(window.get(299).online()).isEqualTo(55);
    assertThat(s.capacity()).isEqualTo(SecondSeries.FIRST_CAPACITY);
  }
}
