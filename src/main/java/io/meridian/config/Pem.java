package io.meridian.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads the PEM files of TLS settings as Go's {@code crypto/tls} does: certificates, and a private
 * key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE
 * KEY}), the forms {@code openssl} writes. The JDK's key factories read only PKCS#8, so the other
 * two are wrapped into it, which takes a few DER headers rather than an ASN.1 library. Blocks of
 * other types ({@code EC PARAMETERS}) are skipped.
 *
 * <p>Messages are Go's where Go has them, each naming the file.
 */
public final class Pem {
  private static final HexFormat HEX = HexFormat.of();

  /** Algorithm identifiers of PKCS#8 keys, DER-encoded OIDs to JDK key factory names. */
  private static final Map<String, String> ALGORITHMS =
      Map.of(
          "06092a864886f70d010101", "RSA",
          "06092a864886f70d01010a", "RSASSA-PSS",
          "06072a8648ce3d0201", "EC",
          "06032b6570", "Ed25519",
          "06032b6571", "Ed448");

  private static final byte[] RSA_ALGORITHM = HEX.parseHex("300d06092a864886f70d0101010500");
  private static final byte[] EC_OID = HEX.parseHex("06072a8648ce3d0201");

  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int OID = 0x06;
  private static final int CURVE = 0xa0;

  private Pem() {}

  /** One block: its type ({@code CERTIFICATE}), its headers' text and its bytes. */
  private static final class Block {
    final String type;
    final String headers;
    final byte[] der;

    Block(String type, String headers, byte[] der) {
      this.type = type;
      this.headers = headers;
      this.der = der;
    }
  }

  /**
   * The certificates of {@code file}, in order; none when it has no {@code CERTIFICATE} blocks.
   *
   * @throws IOException when the file cannot be read or a certificate cannot be parsed
   */
  public static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type.equals("CERTIFICATE")) {
          out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
    } catch (CertificateException e) {
      throw new IOException("x509: malformed certificate in " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The first private key of {@code file}.
   *
   * @throws IOException when the file cannot be read, holds no key, or the key is encrypted or
   *     cannot be parsed
   */
  public static PrivateKey privateKey(Path file) throws IOException {
    for (Block b : blocks(file)) {
      if (b.type.equals("PRIVATE KEY") || b.type.endsWith(" PRIVATE KEY")) {
        if (b.type.startsWith("ENCRYPTED") || b.headers.contains("ENCRYPTED")) {
          throw new IOException(
              "tls: encrypted private keys are not supported (" + file + "), as in Prometheus");
        }
        try {
          return switch (b.type) {
            case "PRIVATE KEY" -> pkcs8(b.der);
            case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, b.der));
            case "EC PRIVATE KEY" -> pkcs8(wrap(ecAlgorithm(b.der), b.der));
            default -> throw new GeneralSecurityException("unknown key type " + b.type);
          };
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new IOException(
              "tls: failed to parse private key in " + file + ": " + e.getMessage(), e);
        }
      }
    }
    throw new IOException("tls: failed to find any PEM data in key input " + file);
  }

  /** Reads a file's bytes, failing with Go's wording for the common errors. */
  static byte[] read(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException("open " + file + ": no such file or directory", e);
    } catch (AccessDeniedException e) {
      throw new IOException("open " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new IOException("read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Block> blocks(Path file) throws IOException {
    List<Block> out = new ArrayList<>();
    String type = null;
    StringBuilder headers = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : new String(read(file), StandardCharsets.ISO_8859_1).lines().toList()) {
      String l = line.strip();
      if (type == null) {
        if (l.startsWith("-----BEGIN ") && l.endsWith("-----")) {
          type = l.substring(11, l.length() - 5);
          headers.setLength(0);
          body.setLength(0);
        }
      } else if (l.equals("-----END " + type + "-----")) {
        try {
          out.add(
              new Block(type, headers.toString(), Base64.getMimeDecoder().decode(body.toString())));
        } catch (IllegalArgumentException e) {
          throw new IOException("bad base64 in the " + type + " block of " + file, e);
        }
        type = null;
      } else if (l.contains(":")) {
        headers.append(l).append('\n');
      } else {
        body.append(l);
      }
    }
    return out;
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    String algorithm = ALGORITHMS.get(HEX.formatHex(pkcs8Algorithm(der)));
    if (algorithm == null) {
      throw new GeneralSecurityException("unsupported key algorithm");
    }
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /** The OID (tag and length included) of a PKCS#8 {@code PrivateKeyInfo}'s algorithm. */
  private static byte[] pkcs8Algorithm(byte[] der) throws GeneralSecurityException {
    Der info = Der.at(der, 0, SEQUENCE).content();
    Der version = info.expect(INTEGER);
    Der algorithm = Der.at(der, version.end, SEQUENCE).content();
    return algorithm.expect(OID).whole();
  }

  /** The algorithm identifier a SEC1 key's PKCS#8 form needs: EC with the key's named curve. */
  private static byte[] ecAlgorithm(byte[] sec1) throws GeneralSecurityException {
    Der key = Der.at(sec1, 0, SEQUENCE).content();
    Der version = key.expect(INTEGER);
    Der secret = Der.at(sec1, version.end, OCTET_STRING);
    for (int at = secret.end; at < key.end; ) {
      Der field = Der.at(sec1, at, -1);
      if (field.tag == CURVE) {
        byte[] curve = field.content().expect(OID).whole();
        return encode(SEQUENCE, concat(EC_OID, curve));
      }
      at = field.end;
    }
    throw new GeneralSecurityException("EC key without its named curve");
  }

  /** A PKCS#8 {@code PrivateKeyInfo}: version 0, {@code algorithm}, and the key's own DER. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    byte[] version = {INTEGER, 1, 0};
    return encode(SEQUENCE, concat(version, algorithm, encode(OCTET_STRING, key)));
  }

  private static byte[] encode(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * One DER element of {@code der}: where its header starts, its content starts and it ends. Only
   * the definite lengths DER allows.
   */
  private static final class Der {
    final byte[] der;
    final int tag;
    final int start;
    final int contentStart;
    final int end;

    Der(byte[] der, int tag, int start, int contentStart, int end) {
      this.der = der;
      this.tag = tag;
      this.start = start;
      this.contentStart = contentStart;
      this.end = end;
    }

    /** The element at {@code at}; {@code tag} -1 takes any tag. */
    static Der at(byte[] der, int at, int tag) throws GeneralSecurityException {
      if (at + 2 > der.length) {
        throw new GeneralSecurityException("truncated DER");
      }
      int t = der[at] & 0xff;
      if (tag >= 0 && t != tag) {
        throw new GeneralSecurityException(
            "malformed DER: tag 0x" + Integer.toHexString(t) + " at " + at);
      }
      int i = at + 1;
      int first = der[i++] & 0xff;
      long length = first;
      if (first >= 0x80) {
        int bytes = first & 0x7f;
        if (bytes == 0 || bytes > 3 || i + bytes > der.length) {
          throw new GeneralSecurityException("malformed DER length at " + at);
        }
        length = 0;
        for (int k = 0; k < bytes; k++) {
          length = (length << 8) | (der[i++] & 0xff);
        }
      }
      if (i + length > der.length) {
        throw new GeneralSecurityException("truncated DER");
      }
      return new Der(der, t, at, i, (int) (i + length));
    }

    /** This element's content as a range to read children from. */
    Der content() {
      return new Der(der, tag, contentStart, contentStart, end);
    }

    /** The first child, which must have {@code tag}. */
    Der expect(int childTag) throws GeneralSecurityException {
      Der child = at(der, start, childTag);
      if (child.end > end) {
        throw new GeneralSecurityException("truncated DER");
      }
      return child;
    }

    byte[] whole() {
      return Arrays.copyOfRange(der, start, end);
    }
  }
}
