package dev.mailroom.testkit;

import dev.mailroom.testkit.TestCertificates.ServerCertificate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP server for tests that does what the test says: answer any step with a chosen reply, stall,
 * drip a reply one byte at a time, drop or reset the connection, offer or hide STARTTLS (with a real TLS
 * handshake), speak TLS from the first byte, and record everything it receives, including whether each
 * command came in plain text or inside TLS. Messages it accepts are stored (dot-unstuffed) for assertions.
 *
 * <pre>{@code
 * try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
 *     .starttls(TestCertificates.selfSigned())
 *     .on(Step.RCPT, Action.reply("550 5.1.1 No such user"))
 *     .start()) {
 *   ... send to 127.0.0.1:server.port() ...
 *   assertThat(server.receivedInPlaintext("AUTH")).isFalse();
 * }
 * }</pre>
 *
 * <p>Without a script for a step the server behaves like a plain submission server: it accepts any
 * login (unless {@link Builder#credentials} or {@link Builder#accessToken} are set), any sender and
 * recipient, and every message. It listens on 127.0.0.1 only, on a free port, with at most
 * {@link Builder#maxThreads(int)} connections at once (more are refused with {@code 421}). Thread-safe:
 * scripts may be changed while clients are connected; {@link #close()} ends every connection and thread.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
  /** Default EHLO extensions, after the host name line (STARTTLS is added when offered). */
  public static final List<String> DEFAULT_EXTENSIONS =
      List.of("AUTH PLAIN LOGIN XOAUTH2", "SMTPUTF8", "8BITMIME", "ENHANCEDSTATUSCODES", "SIZE 104857600");

  private static final int MAX_LINE = 64 * 1024;

  /** The steps of an SMTP session that a script can answer. */
  public enum Step {
    /** Right after the connection (and, with implicit TLS, after the handshake). */
    GREETING,
    /** The EHLO command (every EHLO, before and after STARTTLS). */
    EHLO,
    /** The HELO command. */
    HELO,
    /** The STARTTLS command. A scripted reply starting with 220 starts the handshake. */
    STARTTLS,
    /** The AUTH command. A scripted reply replaces the whole exchange (no continuation is read). */
    AUTH,
    /** The MAIL FROM command. */
    MAIL,
    /** The RCPT TO command. */
    RCPT,
    /** The DATA command. A scripted reply starting with 354 makes the server read the message. */
    DATA,
    /** The end of the message (the final dot). The message is recorded whatever the reply. */
    MESSAGE,
    /** The RSET command. */
    RSET,
    /** The NOOP command. */
    NOOP,
    /** The QUIT command. */
    QUIT
  }

  /**
   * What the server does at a step. Immutable; combine with {@link #then(Action)}.
   */
  public static final class Action {
    private enum Kind { ACCEPT, BYTES, STALL, DROP, RESET, SLOW }

    private final Kind kind;
    private final byte[] bytes;
    private final Duration delay;
    private final Action next;

    private Action(Kind kind, byte[] bytes, Duration delay, Action next) {
      this.kind = kind;
      this.bytes = bytes;
      this.delay = delay;
      this.next = next;
    }

    /**
     * The server's normal behaviour for the step (e.g. {@code 250 2.1.0 Ok} for MAIL, the TLS handshake
     * after STARTTLS). Useful in {@link ScriptedSmtpServer#onNext} to let one occurrence pass.
     *
     * @return the action
     */
    public static Action accept() {
      return new Action(Kind.ACCEPT, null, null, null);
    }

    /**
     * Answers with these lines, each followed by CRLF, in one write. For a multi-line reply give every
     * line with its code and separator: {@code reply("250-first", "250 last")}.
     *
     * @param lines the reply lines, without line ends
     * @return the action
     */
    public static Action reply(String... lines) {
      Objects.requireNonNull(lines, "lines");
      StringBuilder b = new StringBuilder();
      for (String l : lines) {
        b.append(Objects.requireNonNull(l, "line")).append("\r\n");
      }
      return new Action(Kind.BYTES, b.toString().getBytes(StandardCharsets.UTF_8), null, null);
    }

    /**
     * Sends exactly these bytes in one write: for hostile replies (bare CR, NUL bytes, no line end) or
     * for bytes injected after a reply in the same TCP segment.
     *
     * @param bytes the bytes
     * @return the action
     */
    public static Action raw(byte[] bytes) {
      return new Action(Kind.BYTES, Objects.requireNonNull(bytes, "bytes").clone(), null, null);
    }

    /**
     * Sends exactly the characters of {@code text} as ISO-8859-1 bytes (so {@code "\0"} is a NUL byte).
     *
     * @param text the text
     * @return the action
     */
    public static Action raw(String text) {
      return new Action(Kind.BYTES, Objects.requireNonNull(text, "text").getBytes(StandardCharsets.ISO_8859_1),
          null, null);
    }

    /**
     * Answers nothing and reads nothing more, until the server closes or the session timeout passes; then
     * the connection is closed.
     *
     * @return the action
     */
    public static Action stall() {
      return new Action(Kind.STALL, null, null, null);
    }

    /**
     * Closes the connection without answering.
     *
     * @return the action
     */
    public static Action drop() {
      return new Action(Kind.DROP, null, null, null);
    }

    /**
     * Resets the connection (TCP RST) without answering.
     *
     * @return the action
     */
    public static Action reset() {
      return new Action(Kind.RESET, null, null, null);
    }

    /**
     * Sends the reply lines one byte at a time with a pause before each byte (a slowloris server).
     *
     * @param perByte the pause before each byte
     * @param lines the reply lines, without line ends
     * @return the action
     */
    public static Action slowly(Duration perByte, String... lines) {
      Objects.requireNonNull(perByte, "perByte");
      return new Action(Kind.SLOW, reply(lines).bytes, perByte, null);
    }

    /**
     * Returns an action that does this one, then {@code after}: e.g.
     * {@code reply("421 4.7.0 Closing").then(Action.drop())}.
     *
     * @param after what to do next
     * @return the combined action
     */
    public Action then(Action after) {
      Objects.requireNonNull(after, "after");
      return new Action(kind, bytes, delay, next == null ? after : next.then(after));
    }

    /** The reply code this action starts with, or -1 (accept, stall, drop...). */
    int code() {
      if (kind == Kind.ACCEPT) {
        return next == null ? -1 : next.code();
      }
      if ((kind == Kind.BYTES || kind == Kind.SLOW) && bytes.length >= 3) {
        int c = 0;
        for (int i = 0; i < 3; i++) {
          if (bytes[i] < '0' || bytes[i] > '9') {
            return -1;
          }
          c = c * 10 + (bytes[i] - '0');
        }
        return c;
      }
      return -1;
    }

    boolean accepts() {
      return kind == Kind.ACCEPT;
    }

    @Override
    public String toString() {
      String s = kind == Kind.BYTES || kind == Kind.SLOW
          ? kind + "(" + new String(bytes, StandardCharsets.ISO_8859_1).strip() + ")" : kind.name();
      return next == null ? s : s + " then " + next;
    }
  }

  /**
   * A command line as received.
   *
   * @param session the index of the connection, from 0
   * @param line the line without CRLF (AUTH payloads included: this is a test server)
   * @param step the step it belongs to (AUTH for AUTH continuation lines)
   * @param tls whether it arrived inside TLS
   */
  public record ReceivedCommand(int session, String line, Step step, boolean tls) {
    /**
     * Returns the command verb in upper case, e.g. {@code MAIL}.
     *
     * @return the verb
     */
    public String verb() {
      int sp = line.indexOf(' ');
      return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    }
  }

  /**
   * A message the server received (the data between DATA and the final dot, dot-unstuffed).
   *
   * @param session the index of the connection, from 0
   * @param envelopeFrom the MAIL FROM address
   * @param recipients the RCPT TO addresses the server accepted
   * @param content the message as received, possibly cut at {@link Builder#maxStoredMessageBytes(int)}
   * @param size the full size in bytes
   * @param tls whether it arrived inside TLS
   * @param acknowledged whether the server answered the final dot with a 2xx reply
   */
  public record ReceivedMessage(int session, String envelopeFrom, List<String> recipients, byte[] content,
      long size, boolean tls, boolean acknowledged) {
    /**
     * Copies the components.
     *
     * @param session see the record component
     * @param envelopeFrom see the record component
     * @param recipients see the record component
     * @param content see the record component
     * @param size see the record component
     * @param tls see the record component
     * @param acknowledged see the record component
     */
    public ReceivedMessage {
      recipients = List.copyOf(recipients);
      content = content.clone();
    }

    /**
     * Returns a copy of the message as received.
     *
     * @return the bytes
     */
    @Override
    public byte[] content() {
      return content.clone();
    }

    /**
     * Returns the content as UTF-8 text.
     *
     * @return the text
     */
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }

    /**
     * Returns the first header with this name, unfolded, without decoding encoded words.
     *
     * @param name the header name, any case
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
      String head = text();
      int end = head.indexOf("\r\n\r\n");
      if (end >= 0) {
        head = head.substring(0, end);
      }
      String[] lines = head.split("\r\n");
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i];
        int colon = l.indexOf(':');
        if (colon > 0 && l.substring(0, colon).equalsIgnoreCase(name)) {
          StringBuilder v = new StringBuilder(l.substring(colon + 1).strip());
          while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
            v.append(' ').append(lines[++i].strip());
          }
          return Optional.of(v.toString());
        }
      }
      return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReceivedMessage m && session == m.session && size == m.size && tls == m.tls
          && acknowledged == m.acknowledged && envelopeFrom.equals(m.envelopeFrom)
          && recipients.equals(m.recipients) && Arrays.equals(content, m.content);
    }

    @Override
    public int hashCode() {
      return Objects.hash(session, envelopeFrom, recipients, size, tls, acknowledged) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "ReceivedMessage[session=" + session + ", from=" + envelopeFrom + ", to=" + recipients + ", size="
          + size + (tls ? ", tls" : "") + (acknowledged ? ", acknowledged" : "") + "]";
    }
  }

  /** One connection the server accepted. */
  public static final class Session {
    /** How many bytes received in plain text a session keeps. */
    private static final int MAX_PLAINTEXT = 1 << 20;

    private final int index;
    private final List<ReceivedCommand> commands = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    private volatile boolean tls;
    private volatile boolean closed;

    private Session(int index) {
      this.index = index;
    }

    private synchronized void plain(byte[] b, int off, int len) {
      plaintext.write(b, off, Math.max(0, Math.min(len, MAX_PLAINTEXT - plaintext.size())));
    }

    /**
     * Returns every byte that arrived on this connection before TLS started (or all of them without TLS),
     * exactly as received, up to 1 MB: proof of what a client sent in plain text, also bytes that never
     * formed a complete command.
     *
     * @return a copy of the bytes
     */
    public synchronized byte[] plaintext() {
      return plaintext.toByteArray();
    }

    /**
     * Returns the index of this connection, from 0 in the order of acceptance.
     *
     * @return the index
     */
    public int index() {
      return index;
    }

    /**
     * Returns the commands received so far.
     *
     * @return a snapshot
     */
    public List<ReceivedCommand> commands() {
      return List.copyOf(commands);
    }

    /**
     * Tells whether TLS is (or was) up on this connection.
     *
     * @return true once the handshake completed
     */
    public boolean tls() {
      return tls;
    }

    /**
     * Tells whether the connection has ended.
     *
     * @return true when closed
     */
    public boolean closed() {
      return closed;
    }

    @Override
    public String toString() {
      return "Session[" + index + (tls ? ", tls" : "") + (closed ? ", closed" : "") + ", " + commands.size()
          + " commands]";
    }
  }

  /** Configures a {@link ScriptedSmtpServer}. Not thread-safe. */
  public static final class Builder {
    private String hostName = "scripted.test";
    private String greeting;
    private ServerCertificate implicitTls;
    private ServerCertificate starttls;
    private List<String> extensions = DEFAULT_EXTENSIONS;
    private String username;
    private String password;
    private String tokenUser;
    private String token;
    private boolean requireTls;
    private boolean requireAuth;
    private boolean strictLineEndings;
    private int maxThreads = 16;
    private Duration sessionTimeout = Duration.ofSeconds(30);
    private int maxStored = 16 * 1024 * 1024;
    private final Map<Step, Action> scripts = new EnumMap<>(Step.class);

    private Builder() {}

    /**
     * Sets the name the server gives in its greeting and EHLO reply; default {@code scripted.test}.
     *
     * @param value the name
     * @return this builder
     */
    public Builder hostName(String value) {
      this.hostName = Objects.requireNonNull(value, "hostName");
      return this;
    }

    /**
     * Sets the greeting line; default {@code 220 <host name> ESMTP Mailroom scripted server}. To script a
     * broken greeting use {@code on(Step.GREETING, ...)}.
     *
     * @param line the line without CRLF
     * @return this builder
     */
    public Builder greeting(String line) {
      this.greeting = Objects.requireNonNull(line, "line");
      return this;
    }

    /**
     * Speaks TLS from the first byte (like port 465) with this certificate.
     *
     * @param certificate the server certificate
     * @return this builder
     */
    public Builder implicitTls(ServerCertificate certificate) {
      this.implicitTls = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /**
     * Offers STARTTLS with this certificate (hidden from the EHLO reply once TLS is up).
     *
     * @param certificate the server certificate
     * @return this builder
     */
    public Builder starttls(ServerCertificate certificate) {
      this.starttls = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /**
     * Replaces the EHLO extensions ({@link #DEFAULT_EXTENSIONS}); STARTTLS is added when offered.
     *
     * @param values the extension lines without code, e.g. {@code "AUTH PLAIN"}, {@code "PIPELINING"}
     * @return this builder
     */
    public Builder extensions(String... values) {
      this.extensions = List.of(values);
      return this;
    }

    /**
     * Accepts AUTH PLAIN and LOGIN only with these credentials ({@code 535 5.7.8} otherwise). Without
     * this, any login is accepted.
     *
     * @param user the username
     * @param pass the password
     * @return this builder
     */
    public Builder credentials(String user, String pass) {
      this.username = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(pass, "pass");
      return this;
    }

    /**
     * Accepts AUTH XOAUTH2 only with this user and token; another token gets the XOAUTH2 error challenge
     * ({@code 334} with a base64 JSON error), then {@code 535 5.7.8}.
     *
     * @param user the username
     * @param accessToken the token
     * @return this builder
     */
    public Builder accessToken(String user, String accessToken) {
      this.tokenUser = Objects.requireNonNull(user, "user");
      this.token = Objects.requireNonNull(accessToken, "accessToken");
      return this;
    }

    /**
     * Answers AUTH and MAIL before TLS with {@code 530 5.7.0 Must issue a STARTTLS command first}.
     *
     * @return this builder
     */
    public Builder requireTls() {
      this.requireTls = true;
      return this;
    }

    /**
     * Answers MAIL without a successful AUTH with {@code 530 5.7.0 Authentication required}.
     *
     * @return this builder
     */
    public Builder requireAuth() {
      this.requireAuth = true;
      return this;
    }

    /**
     * Like a strict server (Postfix with {@code smtpd_forbid_bare_newline}): a bare LF or CR in the message
     * data gets {@code 521 5.5.2 Error: bare <LF> received}, in a command {@code 500 5.5.2 Error: bare <LF>
     * received}, and the connection is closed.
     *
     * @return this builder
     */
    public Builder strictLineEndings() {
      this.strictLineEndings = true;
      return this;
    }

    /**
     * Sets how many connections may be served at once; more are refused with 421. Default 16.
     *
     * @param value 1 to 256
     * @return this builder
     */
    public Builder maxThreads(int value) {
      if (value < 1 || value > 256) {
        throw new IllegalArgumentException("maxThreads must be between 1 and 256: " + value);
      }
      this.maxThreads = value;
      return this;
    }

    /**
     * Sets how long the server waits for a client line and how long {@link Action#stall()} lasts; default
     * 30 seconds.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder sessionTimeout(Duration value) {
      this.sessionTimeout = Objects.requireNonNull(value, "sessionTimeout");
      return this;
    }

    /**
     * Sets how many bytes of each message are kept; the rest is counted, not stored. Default 16 MB.
     *
     * @param value the limit
     * @return this builder
     */
    public Builder maxStoredMessageBytes(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxStoredMessageBytes must not be negative: " + value);
      }
      this.maxStored = value;
      return this;
    }

    /**
     * Scripts every occurrence of a step (like {@link ScriptedSmtpServer#on(Step, Action)}).
     *
     * @param step the step
     * @param action what to do
     * @return this builder
     */
    public Builder on(Step step, Action action) {
      scripts.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(action, "action"));
      return this;
    }

    /**
     * Starts the server on 127.0.0.1 and a free port.
     *
     * @return the running server
     * @throws IllegalStateException if the port cannot be opened
     */
    public ScriptedSmtpServer start() {
      try {
        return new ScriptedSmtpServer(this);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the scripted SMTP server", e);
      }
    }
  }

  private final String hostName;
  private final String greeting;
  private final SSLContext implicitTls;
  private final SSLContext starttls;
  private final List<String> extensions;
  private final String username;
  private final String password;
  private final String tokenUser;
  private final String token;
  private final boolean requireTls;
  private final boolean requireAuth;
  private final boolean strictLineEndings;
  private final int sessionTimeoutMillis;
  private final int maxStored;
  private final ServerSocket serverSocket;
  private final ThreadPoolExecutor workers;
  private final Thread acceptor;
  private final Map<Step, Action> scripts = new ConcurrentHashMap<>();
  private final Map<Step, ArrayDeque<Action>> oneShot = new EnumMap<>(Step.class);
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger queued = new AtomicInteger();
  private final Object lock = new Object();
  private volatile boolean closed;

  private ScriptedSmtpServer(Builder b) throws IOException {
    this.hostName = b.hostName;
    this.greeting = b.greeting != null ? b.greeting : "220 " + b.hostName + " ESMTP Mailroom scripted server";
    this.implicitTls = b.implicitTls == null ? null : b.implicitTls.serverContext();
    this.starttls = b.starttls == null ? null : b.starttls.serverContext();
    this.extensions = List.copyOf(b.extensions);
    this.username = b.username;
    this.password = b.password;
    this.tokenUser = b.tokenUser;
    this.token = b.token;
    this.requireTls = b.requireTls;
    this.requireAuth = b.requireAuth;
    this.strictLineEndings = b.strictLineEndings;
    this.sessionTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, b.sessionTimeout.toMillis()));
    this.maxStored = b.maxStored;
    this.scripts.putAll(b.scripts);
    this.serverSocket = new ServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    int port = serverSocket.getLocalPort();
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(b.maxThreads, b.maxThreads, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "scripted-smtp-" + port + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    workers.allowCoreThreadTimeOut(true);
    this.acceptor = new Thread(this::acceptLoop, "scripted-smtp-" + port + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a server with the default behaviour: plain SMTP, no STARTTLS, any login accepted.
   *
   * @return the running server
   */
  public static ScriptedSmtpServer start() {
    return builder().start();
  }

  /**
   * Starts configuring a server.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the address the server listens on: always {@code 127.0.0.1}.
   *
   * @return the host
   */
  public String host() {
    return serverSocket.getInetAddress().getHostAddress();
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * Scripts every later occurrence of a step, replacing its earlier script.
   *
   * @param step the step
   * @param action what to do; {@link Action#accept()} restores the normal behaviour
   */
  public void on(Step step, Action action) {
    scripts.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(action, "action"));
  }

  /**
   * Scripts only the next occurrence of a step (a queue: each call adds one occurrence), ahead of
   * {@link #on(Step, Action)}.
   *
   * @param step the step
   * @param action what to do
   */
  public void onNext(Step step, Action action) {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(action, "action");
    synchronized (lock) {
      oneShot.computeIfAbsent(step, s -> new ArrayDeque<>()).add(action);
    }
  }

  /** Forgets every script and everything received; open connections stay open. */
  public void reset() {
    synchronized (lock) {
      oneShot.clear();
    }
    scripts.clear();
    sessions.clear();
    messages.clear();
  }

  /**
   * Returns the connections accepted so far, in order.
   *
   * @return a snapshot
   */
  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  /**
   * Returns every command received so far on every connection, in order per connection.
   *
   * @return a snapshot
   */
  public List<ReceivedCommand> commands() {
    List<ReceivedCommand> all = new ArrayList<>();
    for (Session s : sessions) {
      all.addAll(s.commands);
    }
    return Collections.unmodifiableList(all);
  }

  /**
   * Tells whether a command with this verb (e.g. {@code AUTH}, {@code MAIL}) ever arrived outside TLS.
   *
   * @param verb the command verb, any case
   * @return true if it came in plain text
   */
  public boolean receivedInPlaintext(String verb) {
    String v = verb.toUpperCase(Locale.ROOT);
    return commands().stream().anyMatch(c -> !c.tls() && (c.verb().equals(v) || (v.equals("AUTH")
        && c.step() == Step.AUTH)));
  }

  /**
   * Returns the messages received so far, acknowledged or not.
   *
   * @return a snapshot
   */
  public List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * Waits until at least {@code count} messages were received.
   *
   * @param count how many
   * @param timeout how long to wait at most
   * @return true if they arrived in time
   * @throws InterruptedException if interrupted
   */
  public boolean awaitMessages(int count, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (messages.size() < count) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /** Stops listening, closes every connection and ends every thread of the server. */
  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    synchronized (lock) {
      lock.notifyAll();
    }
    workers.shutdownNow();
    try {
      acceptor.join(5000);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ScriptedSmtpServer[127.0.0.1:" + port() + (implicitTls != null ? ", implicit TLS" : "")
        + (starttls != null ? ", STARTTLS" : "") + "]";
  }

  // ------------------------------------------------------------------------------------------ serving

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      open.add(s);
      Session session;
      synchronized (lock) {
        session = new Session(sessions.size());
        sessions.add(session);
      }
      try {
        workers.execute(() -> serve(s, session));
      } catch (RejectedExecutionException e) {
        try {
          s.getOutputStream().write("421 4.3.2 Too many connections\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // refusing anyway
        }
        closeQuietly(s);
        session.closed = true;
      }
    }
  }

  /** Ends the session loop. */
  private static final class End extends Exception {
    private static final long serialVersionUID = 1L;

    End() {
      super(null, null, false, false);
    }
  }

  /** One connection's state. */
  private final class Conn {
    final Session session;
    Socket socket;
    InputStream in;
    OutputStream out;
    byte[] buf = new byte[8192];
    int pos;
    int lim;
    boolean tls;
    /** Whether the last line read ended with a bare LF or had a CR inside. */
    boolean bareLineEnd;
    boolean authed;
    String from;
    final List<String> rcpts = new ArrayList<>();

    Conn(Socket socket, Session session) throws IOException {
      this.socket = socket;
      this.session = session;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    void upgrade(SSLContext ctx) throws IOException {
      byte[] rest = Arrays.copyOfRange(buf, pos, lim);
      pos = 0;
      lim = 0;
      SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket,
          rest.length == 0 ? null : new ByteArrayInputStream(rest), true);
      ssl.setUseClientMode(false);
      ssl.setSoTimeout(sessionTimeoutMillis);
      ssl.startHandshake();
      open.add(ssl);
      socket = ssl;
      in = ssl.getInputStream();
      out = ssl.getOutputStream();
      tls = true;
      session.tls = true;
    }

    /** A line without its line end, or null at the end of the stream. */
    String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        if (pos == lim) {
          lim = fill();
          pos = 0;
          if (lim < 0) {
            lim = 0;
            return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
          }
        }
        byte c = buf[pos++];
        if (c == '\n') {
          byte[] b = line.toByteArray();
          int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
          bareLineEnd = len == b.length;
          for (int i = 0; i < len; i++) {
            bareLineEnd |= b[i] == '\r';
          }
          return new String(b, 0, len, StandardCharsets.UTF_8);
        }
        line.write(c);
        if (line.size() > MAX_LINE) {
          throw new IOException("line too long");
        }
      }
    }

    /** Reads into the buffer; records what arrived in plain text. */
    private int fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      if (n > 0 && !tls) {
        session.plain(buf, 0, n);
      }
      return n;
    }

    int read() throws IOException {
      if (pos == lim) {
        lim = fill();
        pos = 0;
        if (lim < 0) {
          lim = 0;
          return -1;
        }
      }
      return buf[pos++] & 0xff;
    }

    void write(String... lines) throws IOException {
      out.write(Action.reply(lines).bytes);
      out.flush();
    }

    /** Runs an action; returns normally unless the connection must end. */
    void perform(Action a) throws IOException, End {
      for (Action x = a; x != null; x = x.next) {
        switch (x.kind) {
          case BYTES:
            out.write(x.bytes);
            out.flush();
            break;
          case SLOW:
            for (byte b : x.bytes) {
              sleep(x.delay);
              out.write(b);
              out.flush();
            }
            break;
          case STALL:
            stall();
            throw new End();
          case DROP:
            throw new End();
          case RESET:
            try {
              socket.setSoLinger(true, 0);
            } catch (SocketException ignored) {
              // closing anyway
            }
            throw new End();
          default:
            break;
        }
      }
    }
  }

  private void sleep(Duration d) throws End {
    long end = System.nanoTime() + d.toNanos();
    synchronized (lock) {
      while (!closed) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          throw new End();
        }
      }
    }
    throw new End();
  }

  private void stall() {
    try {
      sleep(Duration.ofMillis(sessionTimeoutMillis));
    } catch (End ignored) {
      // closed or interrupted
    }
  }

  private Action next(Step step) {
    synchronized (lock) {
      ArrayDeque<Action> q = oneShot.get(step);
      if (q != null && !q.isEmpty()) {
        return q.poll();
      }
    }
    return scripts.getOrDefault(step, Action.accept());
  }

  private void serve(Socket socket, Session session) {
    Conn c = null;
    try {
      socket.setSoTimeout(sessionTimeoutMillis);
      c = new Conn(socket, session);
      if (implicitTls != null) {
        c.upgrade(implicitTls);
      }
      Action greet = next(Step.GREETING);
      if (greet.accepts()) {
        c.write(greeting);
        c.perform(greet);
      } else {
        c.perform(greet);
      }
      while (!closed) {
        String line = c.readLine();
        if (line == null) {
          return;
        }
        if (strictLineEndings && c.bareLineEnd) {
          record(c, line, null);
          c.write("500 5.5.2 Error: bare <LF> received");
          return;
        }
        command(c, line);
      }
    } catch (IOException | End | RuntimeException e) {
      // the session ends
    } finally {
      session.closed = true;
      if (c != null) {
        closeQuietly(c.socket);
        open.remove(c.socket);
      }
      closeQuietly(socket);
      open.remove(socket);
    }
  }

  private void record(Conn c, String line, Step step) {
    c.session.commands.add(new ReceivedCommand(c.session.index, line, step, c.tls));
  }

  private void command(Conn c, String line) throws IOException, End {
    int sp = line.indexOf(' ');
    String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    String arg = sp < 0 ? "" : line.substring(sp + 1).strip();
    Step step;
    try {
      step = Step.valueOf(verb);
    } catch (IllegalArgumentException e) {
      step = null;
    }
    if (step == null || step == Step.GREETING || step == Step.MESSAGE) {
      record(c, line, null);
      c.write("502 5.5.2 Error: command not recognized");
      return;
    }
    record(c, line, step);
    Action a = next(step);
    if (!a.accepts()) {
      c.perform(a);
      after(c, step, a.code(), arg);
      return;
    }
    switch (step) {
      case EHLO -> {
        List<String> lines = new ArrayList<>();
        lines.add("250-" + hostName);
        if (starttls != null && !c.tls) {
          lines.add("250-STARTTLS");
        }
        for (String ext : extensions) {
          lines.add("250-" + ext);
        }
        String last = lines.remove(lines.size() - 1);
        lines.add("250 " + last.substring(4));
        c.write(lines.toArray(new String[0]));
      }
      case HELO -> c.write("250 " + hostName);
      case STARTTLS -> {
        if (starttls == null || c.tls) {
          c.write("502 5.5.1 STARTTLS not available");
        } else {
          c.write("220 2.0.0 Ready to start TLS");
          after(c, step, 220, arg);
        }
      }
      case AUTH -> auth(c, arg);
      case MAIL -> {
        if (requireTls && !c.tls) {
          c.write("530 5.7.0 Must issue a STARTTLS command first");
        } else if (requireAuth && !c.authed) {
          c.write("530 5.7.0 Authentication required");
        } else {
          c.write("250 2.1.0 Ok");
          after(c, step, 250, arg);
        }
      }
      case RCPT -> {
        if (c.from == null) {
          c.write("503 5.5.1 Error: need MAIL command");
        } else {
          c.write("250 2.1.5 Ok");
          after(c, step, 250, arg);
        }
      }
      case DATA -> {
        if (c.rcpts.isEmpty()) {
          c.write("554 5.5.1 Error: no valid recipients");
        } else {
          c.write("354 End data with <CR><LF>.<CR><LF>");
          after(c, step, 354, arg);
        }
      }
      case RSET -> {
        c.write("250 2.0.0 Ok");
        after(c, step, 250, arg);
      }
      case NOOP -> c.write("250 2.0.0 Ok");
      case QUIT -> {
        c.write("221 2.0.0 Bye");
        throw new End();
      }
      default -> c.write("502 5.5.2 Error: command not recognized");
    }
  }

  /** The state change of a step answered with {@code code}. */
  private void after(Conn c, Step step, int code, String arg) throws IOException, End {
    switch (step) {
      case STARTTLS -> {
        if (code == 220 && starttls != null && !c.tls) {
          c.upgrade(starttls);
          c.from = null;
          c.rcpts.clear();
          c.authed = false;
        }
      }
      case AUTH -> {
        if (code == 235) {
          c.authed = true;
        }
      }
      case MAIL -> {
        if (code / 100 == 2) {
          c.from = address(arg);
          c.rcpts.clear();
        }
      }
      case RCPT -> {
        if (code / 100 == 2) {
          c.rcpts.add(address(arg));
        }
      }
      case DATA -> {
        if (code == 354) {
          data(c);
        }
      }
      case RSET -> {
        c.from = null;
        c.rcpts.clear();
      }
      default -> {
        // no state
      }
    }
  }

  private static String address(String arg) {
    int lt = arg.indexOf('<');
    int gt = arg.indexOf('>', lt + 1);
    return lt >= 0 && gt > lt ? arg.substring(lt + 1, gt) : arg;
  }

  private void data(Conn c) throws IOException, End {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    long size = 0;
    int prev = -1;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean bare = false;
    while (true) {
      int b = c.read();
      if (b < 0) {
        store(c, content, size, false);
        throw new End();
      }
      if (b == '\n' && prev != '\r') {
        bare = true;
      }
      if (prev == '\r' && b != '\n') {
        bare = true;
      }
      prev = b;
      line.write(b);
      if (b != '\n') {
        continue;
      }
      byte[] l = line.toByteArray();
      line.reset();
      if (bare && strictLineEndings) {
        store(c, content, size, false);
        c.write("521 5.5.2 Error: bare <LF> received");
        throw new End();
      }
      boolean end = l[0] == '.' && ((l.length == 3 && l[1] == '\r') || l.length == 2);
      if (end) {
        break;
      }
      // dot-unstuffing: a line that starts with a dot had one added by the client
      int from = l[0] == '.' ? 1 : 0;
      int n = l.length - from;
      size += n;
      int keep = Math.max(0, Math.min(n, maxStored - content.size()));
      content.write(l, from, keep);
    }
    Action a = next(Step.MESSAGE);
    if (a.accepts()) {
      store(c, content, size, true);
      c.write("250 2.0.0 Ok: queued as " + messages.size());
      c.perform(a);
    } else {
      store(c, content, size, a.code() / 100 == 2);
      c.perform(a);
    }
    c.from = null;
    c.rcpts.clear();
  }

  private void store(Conn c, ByteArrayOutputStream content, long size, boolean acknowledged) {
    ReceivedMessage m = new ReceivedMessage(c.session.index, c.from == null ? "" : c.from, c.rcpts,
        content.toByteArray(), size, c.tls, acknowledged);
    synchronized (lock) {
      messages.add(m);
      lock.notifyAll();
    }
  }

  private void auth(Conn c, String arg) throws IOException, End {
    if (requireTls && !c.tls) {
      c.write("530 5.7.0 Must issue a STARTTLS command first");
      return;
    }
    String[] parts = arg.split(" ", 2);
    String mech = parts[0].toUpperCase(Locale.ROOT);
    String initial = parts.length > 1 ? parts[1].strip() : null;
    switch (mech) {
      case "PLAIN" -> {
        if (initial == null) {
          c.write("334 ");
          initial = continuation(c);
        }
        String[] f = decode(initial).split("\0", -1);
        boolean ok = f.length == 3 && (username == null || (f[1].equals(username) && f[2].equals(password)));
        authResult(c, ok);
      }
      case "LOGIN" -> {
        String user = initial != null ? decode(initial) : null;
        if (user == null) {
          c.write("334 VXNlcm5hbWU6");
          user = decode(continuation(c));
        }
        c.write("334 UGFzc3dvcmQ6");
        String pass = decode(continuation(c));
        authResult(c, username == null || (user.equals(username) && pass.equals(password)));
      }
      case "XOAUTH2" -> {
        String ir = initial != null ? decode(initial) : "";
        boolean ok = token == null || ir.equals("user=" + tokenUser + "\u0001auth=Bearer " + token + "\u0001\u0001");
        if (ok) {
          authResult(c, true);
        } else {
          c.write("334 " + Base64.getEncoder().encodeToString(
              "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}"
                  .getBytes(StandardCharsets.US_ASCII)));
          continuation(c);
          authResult(c, false);
        }
      }
      default -> c.write("504 5.5.4 Unrecognized authentication type");
    }
  }

  private String continuation(Conn c) throws IOException, End {
    String l = c.readLine();
    if (l == null) {
      throw new End();
    }
    record(c, l, Step.AUTH);
    return l;
  }

  private void authResult(Conn c, boolean ok) throws IOException {
    if (ok) {
      c.authed = true;
      c.write("235 2.7.0 Authentication successful");
    } else {
      c.write("535 5.7.8 Authentication credentials invalid");
    }
  }

  private static String decode(String b64) {
    try {
      return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
