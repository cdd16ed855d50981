package dev.mailroom.smtp.internal;

import dev.mailroom.FailureCategory;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
  private static final byte[] DOT_BYTE = {'.'};

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
  /** The text of the command line {@link #command} put in the buffer, so that scan need not decode it. */
  private String knownLine;

  CommandOutputStream(OutputStream out, Wire wire, boolean tls) {
    this.out = out;
    this.wire = wire;
    this.tls = tls;
  }

  /**
   * Writes one command line and its CRLF as {@link #write(byte[], int, int)} would take their bytes (the same
   * checks, before any byte can leave), then flushes as {@link #flush()} does; for Mailroom's own commands,
   * without encoding the line to an array first and decoding it again for the check.
   */
  void command(String line) throws IOException {
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
      // one command line: a line break inside would make it two (as bytes, write() could not tell)
      throw wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
          "Refusing to send a command with a CR or LF inside"));
    }
    int n = line.length();
    int from = count;
    boolean ascii = !retired && !data && n + 2 <= buf.length - count;
    for (int i = 0; i < n && ascii; i++) {
      char c = line.charAt(i);
      ascii = c < 0x80;
      buf[count++] = (byte) c;
    }
    if (!ascii) {
      // the general way (not ASCII: SMTPUTF8; or no room in the buffer)
      count = from;
      byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
      write(bytes, 0, bytes.length);
      flush();
      return;
    }
    buf[count++] = '\r';
    buf[count++] = '\n';
    knownLine = line;
    try {
      scan(from);
    } finally {
      knownLine = null;
    }
    flush();
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
          if (i == committed || buf[i - 1] != '\r') {
            count = committed;
            throw wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
                "Refusing to send a command that ends with a bare LF"));
          }
          int lineEnd = i - 1;
          for (int k = committed; k < lineEnd; k++) {
            if (buf[k] == '\r' || buf[k] == 0) {
              count = committed;
              throw wire.violate(new GuardException(FailureCategory.PROTOCOL, "hint.PROTOCOL", "",
                  "Refusing to send a command with a CR or NUL inside"));
            }
          }
          String known = knownLine;
          String line = known != null && known.length() == lineEnd - committed ? known
              : new String(buf, committed, lineEnd - committed, StandardCharsets.UTF_8);
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

  /**
   * The stream a message's content goes to once the server accepted DATA, instead of Angus's
   * {@code SMTPOutputStream} followed by this stream's byte-by-byte check: in one pass it turns every line
   * end into CRLF (a bare CR or LF becomes CRLF, as Angus does), doubles a dot at the start of a line, and
   * copies the runs between line ends straight into the output buffer. What it writes therefore never holds
   * a bare CR or LF nor an end of data. Its {@code flush()} writes nothing: the message goes out with the end
   * of data ({@link #endMessage()}, then the {@code .} command), in as few writes as the buffer allows.
   *
   * @throws IOException if the server has not accepted DATA on this stream
   */
  OutputStream message() throws IOException {
    if (retired || !data || state != BOL) {
      throw new IOException("the message can only follow the server's 354 reply to DATA");
    }
    return new MessageStream();
  }

  /** Ends the message's last line with CRLF if it has no line end, so that the end of data can follow. */
  void endMessage() throws IOException {
    if (data && state != BOL) {
      putCrlf();
    }
  }

  /** Copies checked message bytes into the buffer, writing full buffers out. */
  private void put(byte[] b, int off, int len) throws IOException {
    octets += len;
    while (len > 0) {
      if (count == buf.length) {
        drain();
      }
      int n = Math.min(len, buf.length - count);
      System.arraycopy(b, off, buf, count, n);
      count += n;
      off += n;
      len -= n;
    }
    committed = count;
    state = MID;
  }

  /** {@link #put} for a run that ends at the start of a line ({@code bol}: after its CRLF) or inside one. */
  private void putRun(byte[] b, int off, int len, boolean bol) throws IOException {
    if (len > 0) {
      put(b, off, len);
      state = bol ? BOL : MID;
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the first CR or LF in {@code b[from, end)}, or {@code end}: eight bytes at a time while
   * none of them is one (a zero byte in the word XOR CR or LF bytes), then byte by byte.
   */
  static int nextBreak(byte[] b, int from, int end) {
    int i = from;
    while (i + 8 <= end) {
      long w = (long) LONGS.get(b, i);
      long cr = w ^ 0x0D0D0D0D0D0D0D0DL;
      long lf = w ^ 0x0A0A0A0A0A0A0A0AL;
      if (((((cr - ONES) & ~cr) | ((lf - ONES) & ~lf)) & HIGHS) != 0) {
        break;
      }
      i += 8;
    }
    while (i < end && b[i] != '\r' && b[i] != '\n') {
      i++;
    }
    return i;
  }

  private void putCrlf() throws IOException {
    if (buf.length - count < 2) {
      drain();
    }
    buf[count++] = '\r';
    buf[count++] = '\n';
    committed = count;
    octets += 2;
    state = BOL;
  }

  /** See {@link #message()}. */
  private final class MessageStream extends OutputStream {
    /** The last byte was a CR, already written as CRLF: an LF right after it belongs to it. */
    private boolean afterCr;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (retired || !data) {
        throw new IOException("the message stream is closed");
      }
      int end = off + len;
      int i = off;
      // bytes from run to i go out as they are: lines ending in CRLF, none starting with a dot
      int run = off;
      boolean bol = state == BOL;
      while (i < end) {
        if (afterCr) {
          afterCr = false;
          if (b[i] == '\n') {
            i++;
            run = i;
            continue;
          }
        }
        if (bol && b[i] == '.') {
          // transparency (RFC 5321 4.5.2): the receiver removes the first dot of a line
          putRun(b, run, i - run, true);
          put(DOT_BYTE, 0, 1);
          run = i;
        }
        int j = nextBreak(b, i, end);
        if (j == end) {
          i = end;
          bol = false;
          break;
        }
        if (b[j] == '\r' && j + 1 < end && b[j + 1] == '\n') {
          // a CRLF: stays in the run
          i = j + 2;
          bol = true;
          continue;
        }
        // a bare CR or LF (or a CR at the end of this piece): written as CRLF
        putRun(b, run, j - run, false);
        putCrlf();
        afterCr = b[j] == '\r';
        i = j + 1;
        run = i;
        bol = true;
      }
      putRun(b, run, end - run, bol);
    }

    @Override
    public void flush() {
      // the message goes out with its end of data
    }

    @Override
    public void close() {
      // the connection's stream stays open
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
