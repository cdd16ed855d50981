package dev.mailroom.smtp.internal;

import dev.mailroom.FailureCategory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The stream Angus writes commands and message data to. It buffers (64 KB) and writes to the socket only
 * on flush or when the buffer is full, so a message goes out in few large writes instead of Angus's many
 * small ones. In command mode each complete line is checked by the {@link Wire} before any of its bytes
 * can leave, and an incomplete line is never written. In data mode (after the server's 354) it checks
 * that only CRLF line ends go out (no bare CR or LF: SMTP smuggling) and recognizes the end of data
 * ({@code CRLF . CRLF}), after which it is in command mode again.
 */
final class CommandOutputStream extends OutputStream {
  static final int BUFFER = 64 * 1024;
  private static final int MAX_COMMAND = 16 * 1024;

  private static final int BOL = 0;
  private static final int MID = 1;
  private static final int CR = 2;
  private static final int DOT = 3;
  private static final int DOT_CR = 4;

  private final OutputStream out;
  private final Wire wire;
  private final boolean tls;
  private final byte[] buf = new byte[BUFFER];
  private int count;
  /** Bytes before this index may be written (complete command lines, message data). */
  private int committed;
  /** Index just after the end of data in the buffer, or -1. */
  private int endOfData = -1;
  private boolean data;
  private int state = BOL;
  private long octets;
  private boolean retired;

  CommandOutputStream(OutputStream out, Wire wire, boolean tls) {
    this.out = out;
    this.wire = wire;
    this.tls = tls;
  }

  /** The server accepted DATA: what follows is message content. */
  void enterData() {
    data = true;
    state = BOL;
    octets = 0;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (retired) {
      throw new IOException("this stream was replaced by the TLS stream");
    }
    while (len > 0) {
      if (count == buf.length) {
        drain();
      }
      int n = Math.min(len, buf.length - count);
      System.arraycopy(b, off, buf, count, n);
      int from = count;
      count += n;
      off += n;
      len -= n;
      scan(from);
    }
  }

  private void scan(int from) throws IOException {
    int i = from;
    while (i < count) {
      if (data) {
        if (state == MID) {
          // the common case: skip to the next line end
          int j = i;
          while (j < count && buf[j] != '\r' && buf[j] != '\n') {
            j++;
          }
          octets += j - i;
          i = j;
          if (i == count) {
            break;
          }
        }
        i = scanData(i) + 1;
      } else {
        if (buf[i] == '\n') {
          int lineEnd = i > committed && buf[i - 1] == '\r' ? i - 1 : i;
          String line = new String(buf, committed, lineEnd - committed, StandardCharsets.UTF_8);
          try {
            wire.onCommand(line);
          } catch (GuardException e) {
            // nothing of the refused line (or after it) is written
            count = committed;
            throw e;
          }
          committed = i + 1;
        } else if (i - committed > MAX_COMMAND) {
          count = committed;
          throw wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
              "A command longer than " + MAX_COMMAND + " bytes"));
        }
        i++;
      }
    }
    if (data) {
      committed = count;
    }
  }

  /** Checks one data byte at {@code i}; returns the index to continue from. */
  private int scanData(int i) throws IOException {
    byte c = buf[i];
    octets++;
    switch (state) {
      case BOL:
        state = c == '.' ? DOT : c == '\r' ? CR : MID;
        break;
      case DOT:
        state = c == '\r' ? DOT_CR : MID;
        break;
      case DOT_CR:
        if (c != '\n') {
          throw bareCr();
        }
        // CRLF . CRLF: the end of the message
        data = false;
        state = BOL;
        endOfData = i + 1;
        committed = i + 1;
        wire.endOfDataQueued(Math.max(0, octets - 3));
        return i;
      case CR:
        if (c != '\n') {
          throw bareCr();
        }
        state = BOL;
        return i;
      default:
        state = c == '\r' ? CR : MID;
        break;
    }
    if (c == '\n') {
      count = committed;
      throw wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
          "Refusing to send a bare LF in message data"));
    }
    return i;
  }

  private GuardException bareCr() {
    count = committed;
    return wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
        "Refusing to send a bare CR in message data"));
  }

  /** Writes what may be written, keeping an incomplete command line. */
  private void drain() throws IOException {
    if (committed == 0) {
      if (count == buf.length) {
        throw wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
            "A command longer than the output buffer"));
      }
      return;
    }
    int n = committed;
    out.write(buf, 0, n);
    if (endOfData >= 0 && endOfData <= n) {
      endOfData = -1;
      wire.endOfDataSent();
    } else if (endOfData > n) {
      endOfData -= n;
    }
    System.arraycopy(buf, n, buf, 0, count - n);
    count -= n;
    committed = 0;
  }

  @Override
  public void flush() throws IOException {
    if (retired || wire.corked()) {
      // while pipelining, commands wait for the next reply to be read
      return;
    }
    push();
  }

  /** Writes everything that may be written, now. */
  void push() throws IOException {
    if (retired) {
      return;
    }
    drain();
    out.flush();
  }

  /** Retires this stream (STARTTLS replaced it); does not close the socket. */
  @Override
  public void close() {
    retired = true;
  }

  boolean tls() {
    return tls;
  }
}
