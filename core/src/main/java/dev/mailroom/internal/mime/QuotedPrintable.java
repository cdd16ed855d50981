package dev.mailroom.internal.mime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Quoted-printable (RFC 2045 6.7) for bytes already in CRLF form, byte for byte as Angus's
 * {@code QPEncoderStream} writes it: lines of at most 76 characters with soft breaks ({@code =} CRLF),
 * CR, LF and CRLF written as CRLF, a blank before a line end or at the end encoded as {@code =20}, and
 * {@code =}, controls and bytes from 0x7F up encoded as {@code =XX}. The last line has no line end.
 */
final class QuotedPrintable {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Characters per line before the soft break's {@code =}. */
  private static final int PER_LINE = 75;

  private QuotedPrintable() {}

  /** Encodes {@code bytes} to {@code out}. */
  static void encode(byte[] bytes, OutputStream out) throws IOException {
    byte[] buf = new byte[Math.min(8192, bytes.length * 4 + 16)];
    int n = 0;
    int count = 0;
    boolean gotSpace = false;
    boolean gotCr = false;
    for (byte x : bytes) {
      // one byte writes at most 11 bytes (a blank as =20 with a soft break, then =XX with one)
      if (n > buf.length - 12) {
        out.write(buf, 0, n);
        n = 0;
      }
      int c = x & 0xff;
      if (gotSpace) {
        boolean encode = c == '\r' || c == '\n';
        int need = encode ? 3 : 1;
        if ((count += need) > PER_LINE) {
          buf[n++] = '=';
          buf[n++] = '\r';
          buf[n++] = '\n';
          count = need;
        }
        if (encode) {
          buf[n++] = '=';
          buf[n++] = '2';
          buf[n++] = '0';
        } else {
          buf[n++] = ' ';
        }
        gotSpace = false;
      }
      if (c == '\r') {
        gotCr = true;
        buf[n++] = '\r';
        buf[n++] = '\n';
        count = 0;
        continue;
      }
      if (c == '\n') {
        if (!gotCr) {
          buf[n++] = '\r';
          buf[n++] = '\n';
          count = 0;
        }
      } else if (c == ' ') {
        gotSpace = true;
      } else if (c < 0x20 || c >= 0x7f || c == '=') {
        if ((count += 3) > PER_LINE) {
          buf[n++] = '=';
          buf[n++] = '\r';
          buf[n++] = '\n';
          count = 3;
        }
        buf[n++] = '=';
        buf[n++] = HEX[c >> 4];
        buf[n++] = HEX[c & 0xf];
      } else {
        if (++count > PER_LINE) {
          buf[n++] = '=';
          buf[n++] = '\r';
          buf[n++] = '\n';
          count = 1;
        }
        buf[n++] = (byte) c;
      }
      gotCr = false;
    }
    if (gotSpace) {
      if (n > buf.length - 12) {
        out.write(buf, 0, n);
        n = 0;
      }
      if ((count += 3) > PER_LINE) {
        buf[n++] = '=';
        buf[n++] = '\r';
        buf[n++] = '\n';
      }
      buf[n++] = '=';
      buf[n++] = '2';
      buf[n++] = '0';
    }
    out.write(buf, 0, n);
  }
}
