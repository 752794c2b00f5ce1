package io.meridian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {
  @Test
  void readsBackWhatTheWriterWrote() throws Exception {
    ProtoWriter w = new ProtoWriter(4);
    w.varintField(1, 0).varintField(2, 300).varintField(3, -1);
    w.doubleField(4, -2.5);
    int m = w.begin(5);
    w.stringField(1, "x".repeat(200)); // a sub-message longer than one length byte
    w.end(m);
    w.stringField(6, "é");
    byte[] b = w.toByteArray();

    ProtoReader r = new ProtoReader(b, 0, b.length);
    assertThat(r.tag()).isEqualTo(1 << 3);
    assertThat(r.varint()).isZero();
    r.tag();
    assertThat(r.varint()).isEqualTo(300);
    r.tag();
    assertThat(r.varint()).isEqualTo(-1);
    assertThat(ProtoReader.wireType(r.tag())).isEqualTo(ProtoReader.FIXED64);
    assertThat(r.double64()).isEqualTo(-2.5);
    int tag = r.tag();
    assertThat(ProtoReader.field(tag)).isEqualTo(5);
    int end = r.lengthEnd();
    int outer = r.sub(end);
    r.tag();
    int strEnd = r.lengthEnd();
    assertThat(strEnd - r.position()).isEqualTo(200);
    r.skipTo(strEnd);
    assertThat(r.hasMore()).isFalse();
    r.pop(outer);
    r.tag();
    int e = r.lengthEnd();
    assertThat(new String(b, r.position(), e - r.position(), StandardCharsets.UTF_8))
        .isEqualTo("é");
    r.skipTo(e);
    assertThat(r.hasMore()).isFalse();
  }

  @Test
  void skipsEveryWireTypeAndRefusesGroups() throws Exception {
    byte[] b = {8, 1, 17, 0, 0, 0, 0, 0, 0, 0, 0, 26, 1, 0, 45, 0, 0, 0, 0, 51};
    ProtoReader r = new ProtoReader(b, 0, b.length);
    for (int i = 0; i < 4; i++) {
      r.skip(ProtoReader.wireType(r.tag()));
    }
    int group = r.tag();
    assertThatThrownBy(() -> r.skip(ProtoReader.wireType(group)))
        .isInstanceOf(ProtoException.class)
        .hasMessageContaining("unsupported wire type 3");
  }

  @Test
  void truncatedInputFailsWithTheByteWhereItEnded() {
    byte[] lenTooLong = {10, 5, 1, 2};
    ProtoReader r = new ProtoReader(lenTooLong, 0, lenTooLong.length);
    assertThatThrownBy(
            () -> {
              r.tag();
              r.lengthEnd();
            })
        .hasMessageContaining("truncated");
    byte[] endlessVarint = {(byte) 0x80, (byte) 0x80};
    assertThatThrownBy(() -> new ProtoReader(endlessVarint, 0, 2).varint())
        .hasMessageContaining("truncated");
    byte[] elevenBytes = new byte[11];
    java.util.Arrays.fill(elevenBytes, (byte) 0xff);
    assertThatThrownBy(() -> new ProtoReader(elevenBytes, 0, 11).varint())
        .hasMessageContaining("longer than 10 bytes");
    assertThatThrownBy(() -> new ProtoReader(new byte[] {0}, 0, 1).tag())
        .hasMessageContaining("invalid field tag");
  }

  @Test
  void utf8CheckAcceptsWellFormedAndRefusesTheRest() throws Exception {
    byte[] ok = "aé€😀".getBytes(StandardCharsets.UTF_8);
    ProtoReader.checkUtf8(ok, 0, ok.length);
    byte[][] bad = {
      {(byte) 0xc3}, // cut short
      {(byte) 0xc0, (byte) 0x80}, // overlong
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // surrogate
      {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
      {(byte) 0xe2, (byte) 0x28, (byte) 0xa1}, // bad continuation
    };
    for (byte[] b : bad) {
      assertThatThrownBy(() -> ProtoReader.checkUtf8(b, 0, b.length))
          .hasMessageContaining("invalid UTF-8");
    }
  }
}
