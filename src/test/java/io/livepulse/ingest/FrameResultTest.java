package io.livepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ack written without the JSON encoder is the encoder's text, byte for byte (contract §2). */
class FrameResultTest {
  @ParameterizedTest
  @CsvSource({"1, 0, 0, 0", "7, 98, 1, 1", "9223372036854775807, 2147483647, 2147483647, 2147483647"})
  void anAckWithoutErrorsIsWhatTheEncoderWrites(long ack, int accepted, int duplicates, int rejected) {
    FrameResult r = new FrameResult(accepted, duplicates, rejected, List.of(), List.of());
    String expected = new JsonObject().put("ack", ack).put("accepted", accepted).put("duplicates", duplicates)
        .put("rejected", rejected).put("errors", new io.vertx.core.json.JsonArray()).encode();
    assertThat(r.toAck(ack)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"order: amount must be > 0", "viewer: user \"q\" \\ 直播"})
  void anAckWithErrorsEscapesThem(String error) {
    FrameResult r = new FrameResult(0, 0, 1, List.of(new EventError(0, error)), List.of());
    JsonObject ack = new JsonObject(r.toAck(3));
    assertThat(ack.getLong("ack")).isEqualTo(3);
    assertThat(ack.getJsonArray("errors").getJsonObject(0).getString("error")).isEqualTo(error);
  }
}
