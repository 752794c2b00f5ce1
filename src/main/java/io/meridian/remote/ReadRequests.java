package io.meridian.remote;

import io.meridian.model.Matcher;
import io.meridian.storage.SelectHints;
import java.util.List;
import java.util.Locale;

/**
 * The client's side of the remote read request ({@code ../shared/specs/prompb/remote.proto}): one
 * query as a snappy {@code ReadRequest}, and which answer a response's {@code Content-Type} says it
 * holds.
 *
 * <pre>
 * ReadRequest { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
 * Query { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
 *         repeated LabelMatcher matchers = 3; ReadHints hints = 4; }
 * LabelMatcher { Type type = 1 (EQ, NEQ, RE, NRE); string name = 2; string value = 3; }
 * ReadHints { int64 step_ms = 1; string func = 2; int64 start_ms = 3; int64 end_ms = 4; }
 * </pre>
 */
final class ReadRequests {
  static final String SAMPLES_CONTENT_TYPE = "application/x-protobuf";

  private ReadRequests() {}

  /** A snappy {@code ReadRequest} for one query, accepting streamed chunks first, then samples. */
  static byte[] encode(long start, long end, List<Matcher> matchers, SelectHints hints) {
    ProtoWriter w = new ProtoWriter(256);
    int q = w.begin(1);
    w.varintField(1, start).varintField(2, end);
    for (Matcher m : matchers) {
      int mm = w.begin(3);
      int type =
          switch (m.type()) {
            case EQUAL -> 0;
            case NOT_EQUAL -> 1;
            case REGEX -> 2;
            case NOT_REGEX -> 3;
          };
      w.varintField(1, type).stringField(2, m.name()).stringField(3, m.value());
      w.end(mm);
    }
    if (hints != null) {
      int h = w.begin(4);
      w.varintField(1, hints.step());
      if (!hints.func().isEmpty()) {
        w.stringField(2, hints.func());
      }
      w.varintField(3, hints.start()).varintField(4, hints.end());
      w.end(h);
    }
    w.end(q);
    // accepted_response_types, packed: STREAMED_XOR_CHUNKS (1), then SAMPLES (0).
    w.bytesField(2, new byte[] {1, 0});
    return SnappyBlock.compress(w.array(), w.length());
  }

  /**
   * The answer a {@code Content-Type} announces; none at all is read as {@code SAMPLES}, as servers
   * older than streaming sent it.
   *
   * @throws IllegalArgumentException for any other type, naming it
   */
  static ReadServer.ResponseType responseType(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT).replace(" ", "");
    if (t.isEmpty() || t.equals(SAMPLES_CONTENT_TYPE) || t.startsWith(SAMPLES_CONTENT_TYPE + ";")) {
      return ReadServer.ResponseType.SAMPLES;
    }
    if (t.startsWith("application/x-streamed-protobuf;")
        && t.contains("proto=prometheus.chunkedreadresponse")) {
      return ReadServer.ResponseType.STREAMED_XOR_CHUNKS;
    }
    throw new IllegalArgumentException("unsupported content type \"" + contentType + "\"");
  }
}
