package dev.mailroom.smtp.internal;

import dev.mailroom.FailureCategory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream Angus reads server replies from. It hands out only complete reply lines that it has checked,
 * and never more than the rest of the current reply, so every byte Angus sees belongs to a reply the
 * client asked for. It fails closed, before Angus sees the bytes, on: NUL bytes, a CR not followed by LF,
 * a line that does not start with a three-digit code from 200 to 599 followed by space, hyphen or the end,
 * continuation lines with another code, a line longer than {@value #MAX_LINE} bytes, a reply of more than
 * {@value #MAX_LINES} lines or {@value #MAX_REPLY} bytes. The whole reply must arrive within the read
 * timeout (enforced by the {@link TcpSocket} below through the {@link Wire}'s deadline).
 */
final class ReplyInputStream extends InputStream {
  static final int MAX_LINE = 2048;
  static final int MAX_LINES = 100;
  static final int MAX_REPLY = 32 * 1024;

  private final InputStream in;
  private final Wire wire;
  private final boolean tls;
  private final byte[] buf = new byte[8192];
  /** Next byte to hand out. */
  private int start;
  /** End of the checked bytes that may be handed out. */
  private int released;
  /** Start of the line being checked. */
  private int lineStart;
  /** End of the bytes read from the socket. */
  private int end;

  private boolean inReply;
  private int replyCode;
  private int replyLines;
  private int replyBytes;
  private final List<String> lines = new ArrayList<>();
  private boolean failed;

  ReplyInputStream(InputStream in, Wire wire, boolean tls) {
    this.in = in;
    this.wire = wire;
    this.tls = tls;
  }

  @Override
  public int read() throws IOException {
    if (start == released && !advance()) {
      return -1;
    }
    return buf[start++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (start == released && !advance()) {
      return -1;
    }
    int n = Math.min(len, released - start);
    System.arraycopy(buf, start, b, off, n);
    start += n;
    return n;
  }

  @Override
  public int available() {
    return released - start;
  }

  /**
   * Reads the next whole reply, checked line by line as for any reader, and returns its code; its lines
   * reach the {@link Wire}, not the caller. Whatever an earlier reader left of an earlier reply is skipped.
   */
  int readReply() throws IOException {
    start = released;
    do {
      advance();
      start = released;
    } while (inReply);
    return replyCode;
  }

  /** Drops bytes read from the socket that belong to no reply yet; returns how many. */
  int discardUnread() {
    int n = end - released;
    end = released;
    return n;
  }

  /** Checks the next complete line; false never happens: the end of the stream throws. */
  private boolean advance() throws IOException {
    if (failed) {
      throw new IOException("the connection was closed after a protocol violation");
    }
    if (!inReply) {
      inReply = true;
      replyCode = -1;
      replyLines = 0;
      replyBytes = 0;
      lines.clear();
      wire.beforeReply();
    }
    int scan = lineStart;
    while (true) {
      // look for the end of the line in what we have
      for (; scan < end; scan++) {
        byte c = buf[scan];
        if (c == '\n') {
          line(lineStart, scan);
          return true;
        }
        if (c == 0) {
          throw violation("a NUL byte in a reply");
        }
        if (c == '\r') {
          if (scan + 1 == end) {
            // the next byte decides; look at this CR again once it is there (a CR at the end of one read
            // followed by "250 ..." in the next must not slip through as part of the line)
            break;
          }
          if (buf[scan + 1] != '\n') {
            throw violation("a CR without LF in a reply");
          }
        }
        if (scan - lineStart >= MAX_LINE) {
          throw violation("a reply line longer than " + MAX_LINE + " bytes");
        }
      }
      if (end - lineStart >= MAX_LINE) {
        throw violation("a reply line longer than " + MAX_LINE + " bytes");
      }
      // need more bytes: make room
      if (end == buf.length) {
        int keep = end - start;
        System.arraycopy(buf, start, buf, 0, keep);
        scan -= start;
        lineStart -= start;
        released -= start;
        end -= start;
        start = 0;
      }
      int n;
      try {
        n = in.read(buf, end, buf.length - end);
      } catch (IOException e) {
        wire.ioFailure(e);
        throw e;
      }
      if (n < 0) {
        EOFException e = new EOFException(end > lineStart || replyLines > 0
            ? "The server closed the connection in the middle of a reply"
            : "The server closed the connection");
        wire.ioFailure(e);
        throw e;
      }
      end += n;
    }
  }

  private void line(int from, int lf) throws IOException {
    int to = lf > from && buf[lf - 1] == '\r' ? lf - 1 : lf;
    int len = to - from;
    if (len < 3 || !digit(buf[from], '2', '5') || !digit(buf[from + 1], '0', '9')
        || !digit(buf[from + 2], '0', '9') || (len > 3 && buf[from + 3] != ' ' && buf[from + 3] != '-')) {
      throw violation("a reply line that does not start with a valid reply code");
    }
    int code = (buf[from] - '0') * 100 + (buf[from + 1] - '0') * 10 + (buf[from + 2] - '0');
    if (replyCode >= 0 && code != replyCode) {
      throw violation("a multi-line reply whose lines have different codes");
    }
    replyCode = code;
    replyLines++;
    replyBytes += lf + 1 - from;
    if (replyLines > MAX_LINES) {
      throw violation("a reply of more than " + MAX_LINES + " lines");
    }
    if (replyBytes > MAX_REPLY) {
      throw violation("a reply of more than " + MAX_REPLY + " bytes");
    }
    String text = new String(buf, from, len, StandardCharsets.UTF_8);
    lines.add(text);
    wire.replyLine(text);
    released = lf + 1;
    lineStart = lf + 1;
    boolean last = len == 3 || buf[from + 3] == ' ';
    if (last) {
      inReply = false;
      wire.onReply(code, List.copyOf(lines));
    }
  }

  private static boolean digit(byte b, char min, char max) {
    return b >= min && b <= max;
  }

  private GuardException violation(String what) {
    failed = true;
    return wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.protocol.unsafe-reply", what,
        "The server sent " + what));
  }
}
