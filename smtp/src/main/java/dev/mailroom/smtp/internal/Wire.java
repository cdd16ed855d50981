package dev.mailroom.smtp.internal;

import dev.mailroom.internal.Redactor;
import dev.mailroom.FailureCategory;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.SmtpReplies.Reply;
import dev.mailroom.internal.SmtpReplies.Stage;
import dev.mailroom.internal.Text;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the socket layer knows about one SMTP connection: the commands written and the replies read
 * (in order), whether TLS is up, whether the end of the message went out, and the first violation. The
 * guarded streams report to it and it enforces the rules on each complete command line before any of its
 * bytes leave:
 *
 * <ul>
 *   <li>with {@link TlsMode#STARTTLS} or {@link TlsMode#IMPLICIT}, nothing but EHLO, HELO, STARTTLS, NOOP,
 *       RSET and QUIT is written before TLS is up, and nothing but QUIT after STARTTLS until the handshake;
 *   <li>after STARTTLS the first command is EHLO, and if the server refuses it the session ends;
 *   <li>with {@link TlsMode#NONE}, AUTH is written only to a loopback host.
 * </ul>
 *
 * <p>Used by one thread at a time (the one that holds the connection); the watchdog reads only the
 * volatile fields.
 */
final class Wire {
  private static final Logger LOG = LoggerFactory.getLogger(Wire.class);
  private static final Set<String> BEFORE_TLS = Set.of("EHLO", "HELO", "STARTTLS", "NOOP", "RSET", "QUIT");

  /** The connection being opened on this thread, for the socket factories that Angus calls. */
  static final ThreadLocal<Wire> CURRENT = new ThreadLocal<>();

  /** A command waiting for its reply. */
  private record Pending(Stage stage, String verb, String argument) {}

  /** A command and its reply; the reply is parsed only when asked for (most are never looked at). */
  static final class Exchange {
    private final Stage stage;
    private final String verb;
    private final String argument;
    private final int code;
    private final List<String> lines;
    private final Redactor redactor;
    private Reply reply;

    Exchange(Stage stage, String verb, String argument, int code, List<String> lines, Redactor redactor) {
      this.stage = stage;
      this.verb = verb;
      this.argument = argument;
      this.code = code;
      this.lines = lines;
      this.redactor = redactor;
    }

    /** The stage. */
    Stage stage() {
      return stage;
    }

    /** The command verb (upper case), {@code .} for the end of data, empty for the greeting. */
    String verb() {
      return verb;
    }

    /** The address for MAIL and RCPT, otherwise empty. */
    String argument() {
      return argument;
    }

    /** The reply code. */
    int code() {
      return code;
    }

    /** The parsed reply, with echoed secrets removed. */
    Reply reply() {
      if (reply == null) {
        String joined = redactor.redact(String.join("\n", lines));
        reply = Reply.parse(joined).orElseGet(() -> new Reply(code, null, Text.sanitize(joined, 512)));
      }
      return reply;
    }
  }

  final SmtpConfig cfg;
  final Redactor redactor = Redactor.of();
  final Transcript transcript;

  volatile long readDeadline;
  /** The server's addresses, resolved once and allowed by the destination policy; connect only to these. */
  private volatile List<InetAddress> destinations;
  private TcpSocket tcp;
  private String ehloName = "[127.0.0.1]";
  private boolean tls;
  private boolean viaStarttls;

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final List<Exchange> exchanges = new ArrayList<>();
  private int transactionStart;
  private boolean greeted;
  private boolean starttlsSent;
  private boolean starttlsAccepted;
  private boolean awaitingEhloAfterTls;
  private boolean ehloAfterTlsFailed;
  private boolean authInProgress;
  private boolean authenticated;
  private boolean authAttempted;
  private final Set<String> extensions = new HashSet<>();
  private CommandOutputStream writer;
  private ReplyInputStream reader;
  private boolean dataEnded;
  private GuardException violation;
  private IOException ioFailure;
  private boolean quitting;
  private boolean corked;
  // when the phases of opening the connection began and ended (System.nanoTime, 0 = not seen), for the
  // MailerListener's attempt timings
  long connectStarted;
  long tcpConnected;
  long tlsStarted;
  long tlsEnded;
  long authStarted;
  long authEnded;

  Wire(SmtpConfig cfg) {
    this.cfg = cfg;
    this.transcript = new Transcript(cfg.transcript(), redactor, cfg.host() + ":" + cfg.port());
  }

  // ---------------------------------------------------------------- connection events

  /** Sets the addresses that the destination policy allowed, before connecting. */
  void destinations(List<InetAddress> addresses) {
    this.destinations = List.copyOf(addresses);
  }

  /** The addresses the destination policy allowed, or null when not resolved yet. */
  List<InetAddress> destinations() {
    return destinations;
  }

  void connected(TcpSocket socket) {
    this.tcp = socket;
    tcpConnected = System.nanoTime();
    InetAddress local = socket.getLocalAddress();
    if (local != null && !local.isAnyLocalAddress()) {
      ehloName = local instanceof Inet6Address ? "[IPv6:" + local.getHostAddress().replaceFirst("%.*$", "") + "]"
          : "[" + local.getHostAddress() + "]";
    }
    transcript.info("Connected to " + cfg.host() + ":" + cfg.port());
  }

  TcpSocket socket() {
    return tcp;
  }

  String ehloName() {
    return ehloName;
  }

  /** Called by the TLS socket factory before the handshake: the plain conversation is over. */
  void beforeTls(int discarded) throws GuardException {
    tlsStarted = System.nanoTime();
    if (starttlsSent || (!tls && cfg.tlsMode() == TlsMode.STARTTLS)) {
      if (!starttlsAccepted) {
        throw violate(new GuardException(FailureCategory.TLS, "hint.TLS", "",
            "TLS was started before the server accepted STARTTLS"));
      }
      viaStarttls = true;
    }
    if (discarded > 0) {
      LOG.warn("Discarded {} bytes that {} sent together with its reply to STARTTLS; they are never read as"
          + " replies (a man-in-the-middle may be injecting commands)", discarded, cfg.host());
      transcript.info("Discarded " + discarded + " bytes received after the reply to STARTTLS");
    }
  }

  void tlsStarted(SSLSession session) {
    tls = true;
    tlsEnded = System.nanoTime();
    if (viaStarttls) {
      awaitingEhloAfterTls = true;
      // capabilities announced before TLS are forgotten: only the EHLO after TLS counts
      extensions.clear();
    }
    transcript.info("TLS started with cipher " + session.getProtocol() + ":" + session.getCipherSuite());
  }

  boolean tls() {
    return tls;
  }

  /**
   * Makes the stream Angus writes commands to over {@code out}, and from now on corks, pushes and switches
   * that one to data mode (after STARTTLS the TLS stream replaces the plain one).
   *
   * @param out the transport: the TCP connection, or TLS on top of it
   * @param tls whether {@code out} is encrypted
   * @return the command stream
   */
  CommandOutputStream commandStream(OutputStream out, boolean tls) {
    CommandOutputStream w = new CommandOutputStream(out, this, tls);
    this.writer = w;
    return w;
  }

  /**
   * Makes the stream Angus reads replies from over {@code in}; from now on {@link #readReply()} reads from
   * that one (after STARTTLS the TLS stream replaces the plain one).
   *
   * @param in the transport: the TCP connection, or TLS on top of it
   * @param tls whether {@code in} is encrypted
   * @return the reply stream
   */
  ReplyInputStream replyStream(java.io.InputStream in, boolean tls) {
    ReplyInputStream r = new ReplyInputStream(in, this, tls);
    this.reader = r;
    return r;
  }

  /**
   * Reads the next whole reply straight from the reply stream, past Angus's line reader (a pipelined send
   * reads its replies this way); the reply is checked and recorded like any other.
   *
   * @return its code
   * @throws IOException if the connection failed or the reply broke a rule
   */
  int readReply() throws IOException {
    if (reader == null) {
      throw new IOException("no reply stream");
    }
    return reader.readReply();
  }

  // ---------------------------------------------------------------- deadlines

  long readTimeoutNanos() {
    return cfg.readTimeoutNanos();
  }

  long writeTimeoutNanos() {
    return cfg.writeTimeoutNanos();
  }

  /** Holds back flushed commands until the next reply is read (pipelining), or sends them now. */
  void cork(boolean on) {
    corked = on;
  }

  boolean corked() {
    return corked;
  }

  /** The stream message data goes to directly (during pipelining, after the 354). */
  CommandOutputStream dataStream() {
    return writer;
  }

  /** A reply is about to be read: held-back commands go out, and the whole reply must fit in the read timeout. */
  void beforeReply() throws IOException {
    if (corked && writer != null) {
      writer.push();
    }
    Pending p = pending.peek();
    long timeout = cfg.readTimeoutNanos();
    if (quitting || (p != null && "QUIT".equals(p.verb()))) {
      timeout = Math.min(timeout, TimeUnit.SECONDS.toNanos(2));
    }
    readDeadline = System.nanoTime() + timeout;
  }

  void deadline(long nanosFromNow) {
    readDeadline = System.nanoTime() + nanosFromNow;
  }

  void clearDeadline() {
    readDeadline = 0;
  }

  /** Shortens the deadline of the reply to QUIT when the connection is being closed. */
  void quitting() {
    quitting = true;
  }

  // ---------------------------------------------------------------- commands

  /**
   * Checks and records a complete command line before any of its bytes are written.
   *
   * @param line the line without CRLF
   * @throws GuardException if the rules forbid sending it now
   */
  void onCommand(String line) throws GuardException {
    if (authInProgress) {
      // a response to a 334 challenge: an AUTH payload
      redactor.addPayload(line.strip());
      pending.add(new Pending(Stage.AUTH, "AUTH", ""));
      transcript.sent(tls, Redactor.MASK);
      return;
    }
    int sp = line.indexOf(' ');
    String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    check(verb);
    Stage stage;
    String argument = "";
    String shown = line;
    switch (verb) {
      case "EHLO":
      case "HELO":
        stage = Stage.EHLO;
        break;
      case "STARTTLS":
        stage = Stage.STARTTLS;
        starttlsSent = true;
        break;
      case "AUTH":
        stage = Stage.AUTH;
        authAttempted = true;
        authStarted = System.nanoTime();
        String[] parts = line.split(" ", 3);
        if (parts.length == 3) {
          redactor.addPayload(parts[2].strip());
          shown = parts[0] + " " + parts[1] + " " + Redactor.MASK;
        }
        break;
      case "MAIL":
        stage = Stage.MAIL;
        argument = address(line);
        transactionStart = exchanges.size();
        dataEnded = false;
        break;
      case "RCPT":
        stage = Stage.RCPT;
        argument = address(line);
        break;
      case "DATA":
        stage = Stage.DATA;
        break;
      default:
        stage = Stage.OTHER;
        break;
    }
    pending.add(new Pending(stage, verb, argument));
    transcript.sent(tls, shown);
  }

  private void check(String verb) throws GuardException {
    if (violation != null && !verb.equals("QUIT")) {
      throw violation;
    }
    if (ehloAfterTlsFailed && !verb.equals("QUIT")) {
      throw violate(new GuardException(FailureCategory.TLS, "hint.tls.ehlo-after-starttls", "",
          "Refusing to send " + verb + ": the server refused EHLO after STARTTLS"));
    }
    if (!tls && starttlsSent && !verb.equals("QUIT")) {
      throw violate(new GuardException(FailureCategory.TLS, "hint.tls.starttls-refused", "",
          "Refusing to send " + verb + " in plain text after STARTTLS"));
    }
    if (!tls && cfg.tlsMode() != TlsMode.NONE && !BEFORE_TLS.contains(verb)) {
      throw violate(new GuardException(FailureCategory.TLS, "hint.tls.starttls-missing", "",
          "Refusing to send " + verb + " before TLS is established"));
    }
    if (!tls && verb.equals("AUTH") && !cfg.loopback()) {
      throw violate(new GuardException(FailureCategory.CONFIGURATION, "hint.configuration.plaintext-credentials",
          "", "Refusing to send credentials unencrypted to " + cfg.host()));
    }
    if (awaitingEhloAfterTls && !verb.equals("EHLO") && !verb.equals("QUIT")) {
      throw violate(new GuardException(FailureCategory.TLS, "hint.tls.ehlo-after-starttls", "",
          "Refusing to send " + verb + " before EHLO after STARTTLS"));
    }
  }

  private static String address(String line) {
    int lt = line.indexOf('<');
    int gt = line.indexOf('>', lt + 1);
    return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
  }

  /** The end of the message was handed to the output stream (not yet written). */
  void endOfDataQueued(long octets) {
    pending.add(new Pending(Stage.END_OF_DATA, ".", ""));
    if (transcript.enabled()) {
      transcript.sent(tls, "<message content, " + octets + " octets>");
      transcript.sent(tls, ".");
    }
  }

  /** The end of the message has been written completely: from now on the outcome may be unknown. */
  void endOfDataSent() {
    dataEnded = true;
  }

  // ---------------------------------------------------------------- replies

  /** A complete, valid reply line; transcript only. */
  void replyLine(String line) {
    transcript.received(tls, line);
  }

  /**
   * A complete reply.
   *
   * @param code its code
   * @param lines its lines, codes included
   */
  void onReply(int code, List<String> lines) {
    readDeadline = 0;
    Pending p = pending.poll();
    Stage stage;
    if (p == null) {
      stage = greeted ? Stage.OTHER : Stage.GREETING;
      greeted = true;
      p = new Pending(stage, "", "");
    } else {
      stage = p.stage();
    }
    exchanges.add(new Exchange(stage, p.verb(), p.argument(), code, lines, redactor));
    switch (stage) {
      case EHLO:
        if (p.verb().equals("EHLO")) {
          if (code == 250) {
            extensions.clear();
            for (int i = 1; i < lines.size(); i++) {
              String l = lines.get(i);
              if (l.length() > 4) {
                String ext = l.substring(4).strip();
                int sp = ext.indexOf(' ');
                extensions.add((sp < 0 ? ext : ext.substring(0, sp)).toUpperCase(Locale.ROOT));
              }
            }
          }
          if (awaitingEhloAfterTls) {
            awaitingEhloAfterTls = false;
            if (code != 250) {
              ehloAfterTlsFailed = true;
            }
          }
        }
        break;
      case STARTTLS:
        starttlsAccepted = code == 220;
        break;
      case AUTH:
        authInProgress = code == 334;
        if (code != 334) {
          authEnded = System.nanoTime();
        }
        if (code == 235) {
          authenticated = true;
        }
        break;
      case DATA:
        if (code == 354 && writer != null) {
          writer.enterData();
        }
        break;
      default:
        break;
    }
  }

  /** The server closed the connection or a read failed. */
  void ioFailure(IOException e) {
    if (ioFailure == null) {
      ioFailure = e;
    }
  }

  GuardException violate(GuardException e) {
    if (violation == null) {
      violation = e;
      LOG.debug("Closing the connection to {}:{}: {}", cfg.host(), cfg.port(), e.getMessage());
      transcript.info(e.getMessage());
    }
    return violation;
  }

  /** Starts a send on this connection: earlier exchanges no longer count. */
  void beginOperation() {
    exchanges.clear();
    transactionStart = 0;
    dataEnded = false;
    ioFailure = null;
  }

  // ---------------------------------------------------------------- what happened

  GuardException violation() {
    return violation;
  }

  IOException ioFailureSeen() {
    return ioFailure;
  }

  boolean authenticated() {
    return authenticated;
  }

  boolean authAttempted() {
    return authAttempted;
  }

  boolean starttlsSent() {
    return starttlsSent;
  }

  boolean greeted() {
    return greeted;
  }

  /** Whether the EHLO after TLS (or, without TLS, the last EHLO) announced an extension. */
  boolean supports(String extension) {
    return extensions.contains(extension.toUpperCase(Locale.ROOT));
  }

  /** True once the final {@code .} went out completely and its reply has not been read. */
  boolean outcomeUnknown() {
    return dataEnded && lastStage() != Stage.END_OF_DATA;
  }

  boolean dataEnded() {
    return dataEnded;
  }

  /** The stage of the command waiting for a reply, or of the last one answered. */
  Stage currentStage() {
    Pending p = pending.peek();
    if (p != null) {
      return p.stage();
    }
    if (!greeted) {
      return Stage.GREETING;
    }
    return exchanges.isEmpty() ? Stage.OTHER : exchanges.get(exchanges.size() - 1).stage();
  }

  /** The verb of the command waiting for a reply, or null. */
  String pendingVerb() {
    Pending p = pending.peek();
    return p == null ? null : p.verb();
  }

  private Stage lastStage() {
    return exchanges.isEmpty() ? null : exchanges.get(exchanges.size() - 1).stage();
  }

  List<Exchange> exchanges() {
    return Collections.unmodifiableList(exchanges);
  }

  /** The exchanges of the last transaction, from its MAIL command on. */
  List<Exchange> transaction() {
    return Collections.unmodifiableList(exchanges.subList(Math.min(transactionStart, exchanges.size()),
        exchanges.size()));
  }

  Exchange lastExchange() {
    return exchanges.isEmpty() ? null : exchanges.get(exchanges.size() - 1);
  }

  /** The last reply to the end of data, for the receipt. */
  Reply finalReply() {
    for (int i = exchanges.size() - 1; i >= 0; i--) {
      if (exchanges.get(i).stage() == Stage.END_OF_DATA) {
        return exchanges.get(i).reply();
      }
    }
    return null;
  }
}
