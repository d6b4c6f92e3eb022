package io.livepulse.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real order lines (UCI Online Retail, December 2010) pushed as a producer would: one
 * order per line, one room per country, mapped as a producer naively would: Description as title
 * (empty for some lines), the customer id as user, {@code guest-<invoice>} when it is missing. Its
 * quirks (cancellations with negative quantities, zero prices, empty descriptions, commas in
 * descriptions) must be rejected or accepted by the contract's rules alone, and every country's GMV
 * must match an independent BigDecimal computation to the cent. No row is filtered out before sending.
 */
@Timeout(300)
class RetailDataTest {
  /** A copy of ../shared/data/online-retail-2010-12.csv (CC BY 4.0, see its README beside it). */
  static final Path DATA = Path.of("src", "test", "resources", "data", "online-retail-2010-12.csv");

  record Expected(Map<String, BigDecimal> gmv, Map<String, Long> orders, long accepted, long rejected) {
  }

  @Test
  void everyCountrysGmvMatchesToTheCent() throws Exception {
    assertThat(DATA).isReadable();
    List<Map<String, String>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(DATA.toFile())) {
      it.forEachRemaining(rows::add);
    }
    assertThat(rows).hasSize(42_481);

    List<JsonObject> events = new ArrayList<>();
    Map<String, BigDecimal> gmv = new HashMap<>();
    Map<String, Long> orders = new HashMap<>();
    long valid = 0;
    long ts = System.currentTimeMillis();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      String room = "retail-" + r.get("Country").replaceAll("[^A-Za-z0-9_.:-]", "_");
      long qty = Long.parseLong(r.get("Quantity"));
      BigDecimal amount = new BigDecimal(r.get("UnitPrice")).multiply(BigDecimal.valueOf(qty));
      String customer = r.get("CustomerID");
      JsonObject e = new JsonObject().put("type", "order").put("room", room)
          .put("order", r.get("InvoiceNo") + "-" + i).put("sku", r.get("StockCode")).put("qty", qty)
          .put("amount", amount.toPlainString()).put("title", r.get("Description")).put("ts", ts)
          .put("user", customer == null || customer.isEmpty() ? "guest-" + r.get("InvoiceNo") : customer.replace(".0", ""));
      events.add(e);
      // The contract's rules, computed independently of the server.
      boolean ok = qty >= 1 && qty <= 100_000
          && amount.signum() >= 0 && amount.stripTrailingZeros().scale() <= 2
          && amount.compareTo(BigDecimal.valueOf(1_000_000_000)) <= 0
          && r.get("Description") != null && r.get("Description").length() <= 200;
      if (ok) {
        valid++;
        gmv.merge(room, amount, BigDecimal::add);
        orders.merge(room, 1L, Long::sum);
      }
    }
    assertThat(valid).as("the data really has rows each rule rejects").isLessThan(rows.size());
    assertThat(rows.stream().filter(r -> r.get("Description").isEmpty() && Long.parseLong(r.get("Quantity")) > 0))
        .as("the data really has valid orders with an empty title").isNotEmpty();

    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port());
         Clients.Producer producer = clients.producer()) {
      long accepted = 0;
      long rejected = 0;
      for (int from = 0; from < events.size(); from += 1000) {
        JsonArray frame = new JsonArray(new ArrayList<>(events.subList(from, Math.min(events.size(), from + 1000))));
        JsonObject ack = producer.send(frame.encode());
        accepted += ack.getInteger("accepted");
        rejected += ack.getInteger("rejected");
        assertThat(ack.getInteger("duplicates")).isZero();
      }
      assertThat(accepted).isEqualTo(valid);
      assertThat(rejected).isEqualTo(rows.size() - valid);

      JsonArray rooms = clients.get("/api/rooms").json().getJsonArray("rooms");
      Map<String, BigDecimal> serverGmv = new HashMap<>();
      Map<String, Long> serverOrders = new HashMap<>();
      for (Object o : rooms) {
        JsonObject room = (JsonObject) o;
        serverGmv.put(room.getString("room"), new BigDecimal(room.getJsonObject("totals").getValue("gmv").toString()));
        serverOrders.put(room.getString("room"), room.getJsonObject("totals").getLong("orders"));
      }
      assertThat(serverOrders).isEqualTo(orders);
      assertThat(serverGmv.keySet()).isEqualTo(gmv.keySet());
      gmv.forEach((room, expected) -> assertThat(serverGmv.get(room)).as(room).isEqualByComparingTo(expected));
    }
  }
}
