package io.livepulse.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
  @TempDir
  Path dir;

  Tokens load(String json) throws Exception {
    return Tokens.load(Files.writeString(dir.resolve("tokens.json"), json));
  }

  @Test
  void grantsByRoleAndPrefix() throws Exception {
    Tokens tokens = load("""
        {"tokens": [{"token": "ingest-brand-a-0123456789", "role": "ingest", "rooms": ["brandA-"]},
                    {"token": "reader-everything-0123456789", "role": "read"}]}""");
    Grant a = tokens.check("ingest-brand-a-0123456789").orElseThrow();
    assertThat(a.ingest()).isTrue();
    assertThat(a.mayWrite("brandA-1")).isTrue();
    assertThat(a.mayWrite("brandB-1")).isFalse();
    assertThat(a.mayAccess("brandB-1")).isFalse();
    Grant r = tokens.check("reader-everything-0123456789").orElseThrow();
    assertThat(r.ingest()).isFalse();
    assertThat(r.mayWrite("x")).isFalse();
    assertThat(r.mayAccess("anything")).isTrue();
    assertThat(tokens.check("reader-everything-012345678")).isEmpty();
    assertThat(tokens.check("")).isEmpty();
    assertThat(tokens.check(null)).isEmpty();
  }

  @Test
  void invalidFilesSayWhatIsWrong() {
    assertThatThrownBy(() -> load("{nope")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> load("{\"tokens\": []}")).hasMessageContaining("\"tokens\" must be a non-empty array");
    assertThatThrownBy(() -> load("{\"tokens\": [{\"token\": \"short\", \"role\": \"read\"}]}"))
        .hasMessageContaining("tokens[0].token must be a string of at least 16 characters");
    assertThatThrownBy(() -> load("{\"tokens\": [{\"token\": \"0123456789abcdef\", \"role\": \"admin\"}]}"))
        .hasMessageContaining("tokens[0].role must be ingest or read");
    assertThatThrownBy(() -> load("{\"tokens\": [{\"token\": \"0123456789abcdef\", \"role\": \"read\", \"rooms\": []}]}"))
        .hasMessageContaining("tokens[0].rooms must be a non-empty array");
  }

  @Test
  void maskHidesTokensInUris() {
    assertThat(Access.mask("/live?room=r1&token=secret-value&x=1")).isEqualTo("/live?room=r1&token=***&x=1");
    assertThat(Access.mask("/live?token=secret")).isEqualTo("/live?token=***");
  }

  @Test
  void nonLoopbackHostNeedsTokensOrInsecure() {
    Config open = Config.defaults().withHost("0.0.0.0", false);
    assertThatThrownBy(open::validate).hasMessageContaining("--host 0.0.0.0 without access tokens");
    Config.defaults().withHost("0.0.0.0", true).validate();
    Config.defaults().withHost("0.0.0.0", false).withTokens(Path.of("tokens.json")).validate();
    Config.defaults().validate();
    assertThat(Config.defaults().loopback()).isTrue();
    assertThat(List.of(Config.defaults().withPort(70000))).allSatisfy(c ->
        assertThatThrownBy(c::validate).hasMessageContaining("--port must be 0-65535"));
  }
}
