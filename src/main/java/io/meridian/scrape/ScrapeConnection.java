package io.meridian.scrape;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocket;

/**
 * One target's HTTP/1.1 connection, kept open from scrape to scrape: a GET written in one piece,
 * the response read with blocking I/O on the scrape loop's own virtual thread into one array. A
 * scrape needs nothing more, and this costs a fraction of the JDK client's selector thread, worker
 * pool and per-request objects, which were a fifth of a scraping server's CPU.
 *
 * <p>Not thread-safe, except {@link #cancel}, which closes the socket under a blocked read.
 */
final class ScrapeConnection implements AutoCloseable {
  /** What a response says, and its body; only the first {@code length} bytes count. */
  static final class Response {
    private final int status;
    private final String contentType;
    private final String contentEncoding;
    private final String location;
    private final byte[] body;
    private final int length;

    Response(
        int status,
        String contentType,
        String contentEncoding,
        String location,
        byte[] body,
        int length) {
      this.status = status;
      this.contentType = contentType;
      this.contentEncoding = contentEncoding;
      this.location = location;
      this.body = body;
      this.length = length;
    }

    int status() {
      return status;
    }

    String contentType() {
      return contentType;
    }

    String contentEncoding() {
      return contentEncoding;
    }

    String location() {
      return location;
    }

    byte[] body() {
      return body;
    }

    int length() {
      return length;
    }
  }

  /** Makes the TLS socket over a connected plain one, for {@code https} targets. */
  interface TlsLayer {
    SSLSocket wrap(Socket plain, String host, int port) throws IOException;
  }

  private final String host;
  private final int port;
  private final TlsLayer tls;
  private volatile Socket socket;
  private InputStream in;
  private OutputStream out;
  private volatile boolean cancelled;

  /** Read buffer: headers are parsed from it; a body is copied out once. */
  private byte[] buf = new byte[16 * 1024];

  private int pos;
  private int lim;

  /**
   * @param tls null for plain HTTP
   */
  ScrapeConnection(URI url, TlsLayer tls) {
    this.host = url.getHost();
    this.port = url.getPort() >= 0 ? url.getPort() : (tls != null ? 443 : 80);
    this.tls = tls;
  }

  /**
   * Sends {@code request} (a whole request head) and reads the response. A kept connection the
   * server closed meanwhile is opened again once, before any byte of the response came.
   *
   * @param deadlineNanos {@link System#nanoTime()} by which the whole exchange must be done
   * @param bodyLimit most body bytes (0: none)
   * @throws SocketTimeoutException when the deadline passes
   */
  Response exchange(byte[] request, long deadlineNanos, long bodyLimit, LongSupplier nanos)
      throws IOException {
    boolean reused = socket != null;
    try {
      send(request, deadlineNanos, nanos);
    } catch (IOException e) {
      closeQuietly();
      if (!reused || cancelled) {
        throw e;
      }
      send(request, deadlineNanos, nanos);
    }
    try {
      return readResponse(deadlineNanos, bodyLimit, nanos);
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /** Writes the request and waits for the first bytes of the response. */
  private void send(byte[] request, long deadlineNanos, LongSupplier nanos) throws IOException {
    connectIfNeeded(deadlineNanos, nanos);
    out.write(request);
    out.flush();
    if (!fill(deadlineNanos, nanos)) {
      throw new EOFException("connection closed before the response");
    }
  }

  /** Aborts an exchange in progress from another thread. */
  void cancel() {
    cancelled = true;
    closeQuietly();
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void connectIfNeeded(long deadlineNanos, LongSupplier nanos) throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), timeoutMillis(deadlineNanos, nanos));
      if (tls != null) {
        s.setSoTimeout(timeoutMillis(deadlineNanos, nanos));
        SSLSocket ssl = tls.wrap(s, host, port);
        ssl.startHandshake();
        s = ssl;
      }
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
    pos = 0;
    lim = 0;
  }

  private static int timeoutMillis(long deadlineNanos, LongSupplier nanos)
      throws SocketTimeoutException {
    long left = (deadlineNanos - nanos.getAsLong()) / 1_000_000L;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** Reads more into the buffer (compacting it); false at the end of the stream. */
  private boolean fill(long deadlineNanos, LongSupplier nanos) throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (lim == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    socket.setSoTimeout(timeoutMillis(deadlineNanos, nanos));
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      return false;
    }
    lim += n;
    return true;
  }

  private Response readResponse(long deadlineNanos, long bodyLimit, LongSupplier nanos)
      throws IOException {
    int status = -1;
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    String contentType = "";
    String contentEncoding = "";
    String location = "";
    for (int lineNo = 0; ; lineNo++) {
      int eol = indexOfLf(pos);
      while (eol < 0) {
        if (lim - pos > 64 * 1024) {
          throw new IOException("response headers too large");
        }
        if (!fill(deadlineNanos, nanos)) {
          throw new EOFException("connection closed in the response headers");
        }
        eol = indexOfLf(pos);
      }
      int end = eol > pos && buf[eol - 1] == '\r' ? eol - 1 : eol;
      String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
      pos = eol + 1;
      if (lineNo == 0) {
        status = statusOf(line);
        continue;
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> {
          try {
            contentLength = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length " + value, e);
          }
        }
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "content-type" -> contentType = value;
        case "content-encoding" -> contentEncoding = value;
        case "location" -> location = value;
        default -> {
          // not needed for a scrape
        }
      }
    }
    if (status == 100) {
      return readResponse(deadlineNanos, bodyLimit, nanos);
    }
    byte[] body;
    int length;
    if (chunked) {
      ByteSink sink = new ByteSink(8192);
      readChunked(sink, deadlineNanos, bodyLimit, nanos);
      body = sink.bytes;
      length = sink.length;
    } else if (contentLength >= 0) {
      if (bodyLimit > 0 && contentLength > bodyLimit) {
        throw TargetScraper.tooLarge(bodyLimit);
      }
      if (contentLength > Integer.MAX_VALUE - 16) {
        throw new IOException("body too large: " + contentLength + " bytes");
      }
      body = BodyBuffers.SHARED.take((int) contentLength);
      length = (int) contentLength;
      readExactly(body, 0, length, deadlineNanos, nanos);
    } else {
      ByteSink sink = new ByteSink(8192);
      while (true) {
        sink.add(buf, pos, lim - pos, bodyLimit);
        pos = lim;
        if (!fill(deadlineNanos, nanos)) {
          break;
        }
      }
      body = sink.bytes;
      length = sink.length;
      close = true;
    }
    if (close) {
      closeQuietly();
    }
    return new Response(status, contentType, contentEncoding, location, body, length);
  }

  private void readExactly(byte[] dst, int off, int len, long deadlineNanos, LongSupplier nanos)
      throws IOException {
    int have = Math.min(len, lim - pos);
    System.arraycopy(buf, pos, dst, off, have);
    pos += have;
    int done = have;
    while (done < len) {
      socket.setSoTimeout(timeoutMillis(deadlineNanos, nanos));
      int n = in.read(dst, off + done, len - done);
      if (n < 0) {
        throw new EOFException("connection closed after " + done + " of " + len + " body bytes");
      }
      done += n;
    }
  }

  private void readChunked(ByteSink sink, long deadlineNanos, long bodyLimit, LongSupplier nanos)
      throws IOException {
    while (true) {
      String sizeLine = readLine(deadlineNanos, nanos);
      int semi = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size " + sizeLine, e);
      }
      if (size == 0) {
        while (!readLine(deadlineNanos, nanos).isEmpty()) {
          // trailers: not needed
        }
        return;
      }
      if (bodyLimit > 0 && sink.length + size > bodyLimit) {
        throw TargetScraper.tooLarge(bodyLimit);
      }
      long left = size;
      while (left > 0) {
        if (pos == lim && !fill(deadlineNanos, nanos)) {
          throw new EOFException("connection closed in a chunk");
        }
        int n = (int) Math.min(left, lim - pos);
        sink.add(buf, pos, n, bodyLimit);
        pos += n;
        left -= n;
      }
      readLine(deadlineNanos, nanos); // the CRLF after the chunk
    }
  }

  private String readLine(long deadlineNanos, LongSupplier nanos) throws IOException {
    int eol = indexOfLf(pos);
    while (eol < 0) {
      if (!fill(deadlineNanos, nanos)) {
        throw new EOFException("connection closed in the chunked body");
      }
      eol = indexOfLf(pos);
    }
    int end = eol > pos && buf[eol - 1] == '\r' ? eol - 1 : eol;
    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
    pos = eol + 1;
    return line;
  }

  private int indexOfLf(int from) {
    for (int i = from; i < lim; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int statusOf(String line) throws IOException {
    // HTTP/1.1 200 OK
    int sp = line.indexOf(' ');
    if (!line.startsWith("HTTP/") || sp < 0 || line.length() < sp + 4) {
      throw new IOException("malformed HTTP response \"" + line + "\"");
    }
    try {
      return Integer.parseInt(line.substring(sp + 1, sp + 4));
    } catch (NumberFormatException e) {
      throw new IOException("malformed HTTP response \"" + line + "\"", e);
    }
  }

  private void closeQuietly() {
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing left to do
      }
    }
  }

  /** A growing byte array for bodies of unknown length, failing past a limit. */
  private static final class ByteSink {
    byte[] bytes;
    int length;

    ByteSink(int capacity) {
      bytes = new byte[capacity];
    }

    void add(byte[] src, int off, int n, long limit) throws IOException {
      if (limit > 0 && length + (long) n > limit) {
        throw TargetScraper.tooLarge(limit);
      }
      if (length + n > bytes.length) {
        bytes =
            Arrays.copyOf(
                bytes,
                (int)
                    Math.min(
                        Integer.MAX_VALUE - 16, Math.max(bytes.length * 2L, length + (long) n)));
      }
      System.arraycopy(src, off, bytes, length, n);
      length += n;
    }
  }
}
