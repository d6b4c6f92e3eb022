package io.livepulse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL is no open door: a local user connecting over loopback without the
 * installation's password gets nothing (before, such a user was a superuser and could run commands
 * through COPY ... TO PROGRAM), and a data directory made by an earlier, passwordless version is
 * upgraded in place with its orders intact.
 */
@Timeout(180)
class EmbeddedDatabaseAuthTest {
  @TempDir
  Path dir;

  static int port(Path dataDir) throws Exception {
    return Integer.parseInt(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(3).strip());
  }

  static Connection connect(int port, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
  }

  static void assertClosedWithout(int port, String password) {
    for (String wrong : new String[] {"", "postgres", "wrong-password"}) {
      assertThatThrownBy(() -> connect(port, wrong).close()).as("password '%s'", wrong)
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "28000", "08004"));
    }
    assertThat(password).hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void aFreshDataDirectoryRequiresTheInstallationsPassword() throws Exception {
    Path data = dir.resolve("fresh");
    try (TestServer server = TestServer.start(data, (String) null)) {
      int port = port(data);
      Path file = data.resolve("pg-password");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
      String password = Files.readString(file).strip();
      assertClosedWithout(port, password);
      try (Connection c = connect(port, password); Statement st = c.createStatement()) {
        var rs = st.executeQuery("SHOW unix_socket_directories");
        rs.next();
        assertThat(rs.getString(1)).as("no Unix socket in a shared directory").isEmpty();
      }
    }
  }

  @Test
  void anOlderPasswordlessDataDirectoryIsUpgradedWithItsOrders() throws Exception {
    Path data = dir.resolve("old");
    long ts = System.currentTimeMillis();
    try (TestServer server = TestServer.start(data, (String) null); Clients clients = new Clients(server.port());
         Clients.Producer p = clients.producer()) {
      assertThat(p.send("{\"type\":\"order\",\"room\":\"upgrade\",\"order\":\"o1\",\"user\":\"u\",\"sku\":\"s\","
          + "\"amount\":\"12.34\",\"ts\":" + ts + "}").getInteger("accepted")).isEqualTo(1);
    }
    makeLikeAnEarlierVersion(data);

    try (TestServer server = TestServer.start(data, (String) null); Clients clients = new Clients(server.port())) {
      String password = Files.readString(data.resolve("pg-password")).strip();
      assertClosedWithout(port(data), password);
      assertThat(Files.readString(data.resolve("pg").resolve("pg_hba.conf"))).doesNotContain("trust");
      BigDecimal gmv = new BigDecimal(clients.get("/api/rooms/upgrade").json().getJsonObject("totals")
          .getValue("gmv").toString());
      assertThat(gmv).isEqualByComparingTo("12.34");
      try (Clients.Producer p = clients.producer()) {
        assertThat(p.send("{\"type\":\"order\",\"room\":\"upgrade\",\"order\":\"o1\",\"user\":\"u\",\"sku\":\"s\","
            + "\"amount\":\"12.34\",\"ts\":" + ts + "}").getInteger("duplicates")).isEqualTo(1);
      }
    }
  }

  /** What earlier versions left behind: pg_hba.conf trusting everyone, a superuser without password, no file. */
  private static void makeLikeAnEarlierVersion(Path data) throws Exception {
    Path pg = data.resolve("pg");
    Files.write(pg.resolve("pg_hba.conf"), List.of(
        "local all all trust", "host all all 127.0.0.1/32 trust", "host all all ::1/128 trust"));
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pg).setCleanDataDirectory(false).start();
         Connection c = old.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER ROLE postgres PASSWORD NULL");
    }
    Files.delete(data.resolve("pg-password"));
  }
}
