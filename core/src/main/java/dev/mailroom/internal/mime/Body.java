package dev.mailroom.internal.mime;

import dev.mailroom.Attachment;
import dev.mailroom.internal.AttachmentStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The MIME body of an outgoing message, written by Mailroom itself: a text part, an attachment streamed
 * from its source, or a multipart. Jakarta Mail's own MIME classes look up their stream provider with
 * {@link java.util.ServiceLoader} on every part and every encoder they create, which is most of the CPU
 * time of sending a small message; these classes use Mailroom's quoted-printable encoder
 * ({@link QuotedPrintable}, byte for byte what Angus's encoder writes) and the JDK's base64 encoder.
 */
public interface Body {
  byte[] CRLF = {'\r', '\n'};

  /** The part's own header lines (Content-Type and so on), folded, without CRLF at the end. */
  List<String> headers();

  /**
   * Writes the encoded content, exactly: a last line without line end stays without one (a multipart adds
   * the CRLF that belongs to its next delimiter, and Angus ends the data with one).
   */
  void write(OutputStream out) throws IOException;

  /**
   * Text (plain or HTML) encoded to UTF-8.
   *
   * @param type the media type, such as {@code text/plain}
   * @param bytes the text's UTF-8 bytes
   * @param bareBreaks whether some line break in {@code bytes} is not yet CRLF (only for 7bit: written as CRLF)
   * @param encoding {@code 7bit}, {@code quoted-printable} or {@code base64}
   * @param sourceLength the UTF-8 length of the text as given, before its line breaks became CRLF
   */
  record Text(String type, byte[] bytes, boolean bareBreaks, String encoding, int sourceLength) implements Body {
    /** The text's UTF-8 bytes with every line break as CRLF: what the part carries. */
    public byte[] utf8() {
      return bareBreaks ? PreparedMime.crlf(bytes, bytes.length + 64) : bytes;
    }

    @Override
    public List<String> headers() {
      return List.of("Content-Type: " + type + "; charset=UTF-8", "Content-Transfer-Encoding: " + encoding);
    }

    @Override
    public void write(OutputStream out) throws IOException {
      switch (encoding) {
        case "7bit" -> {
          if (bareBreaks) {
            PreparedMime.writeCrlf(bytes, out);
          } else {
            out.write(bytes);
          }
        }
        case "base64" -> base64(out, new java.io.ByteArrayInputStream(utf8()));
        default -> {
          QuotedPrintable.encode(utf8(), out);
        }
      }
    }
  }

  /**
   * An attachment or inline image, base64 encoded while it is read from its source.
   *
   * @param attachment the attachment
   * @param contentType the Content-Type header value
   * @param disposition the Content-Disposition header value
   * @param contentId the Content-ID without angle brackets, or null
   */
  record File(Attachment attachment, String contentType, String disposition, String contentId) implements Body {
    /** An attachment without Content-ID. */
    public File(Attachment attachment, String contentType, String disposition) {
      this(attachment, contentType, disposition, null);
    }

    @Override
    public List<String> headers() {
      if (contentId != null) {
        return List.of("Content-Type: " + contentType, "Content-Transfer-Encoding: base64",
            "Content-ID: <" + contentId + ">", "Content-Disposition: " + disposition);
      }
      return List.of("Content-Type: " + contentType, "Content-Transfer-Encoding: base64",
          "Content-Disposition: " + disposition);
    }

    @Override
    public void write(OutputStream out) throws IOException {
      try (InputStream src = AttachmentStreams.open(attachment)) {
        base64(out, src);
      }
    }
  }

  /**
   * A multipart/mixed, multipart/alternative or multipart/related.
   *
   * @param subtype the multipart subtype
   * @param boundary the boundary
   * @param parts the parts
   * @param type for multipart/related, the type of the root (first) part (RFC 2387), else null
   */
  record Multi(String subtype, String boundary, List<Body> parts, String type) implements Body {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A multipart with a random boundary. */
    public static Multi of(String subtype, List<Body> parts) {
      return of(subtype, parts, null);
    }

    /** A multipart with a random boundary and, for multipart/related, the root part's type. */
    public static Multi of(String subtype, List<Body> parts, String type) {
      byte[] r = new byte[18];
      RANDOM.nextBytes(r);
      return new Multi(subtype, boundary(r), List.copyOf(parts), type);
    }

    /** A boundary made of 18 unpredictable bytes; "=_" never occurs in quoted-printable or base64 output. */
    static String boundary(byte[] r) {
      return "=_mailroom_" + Base64.getUrlEncoder().withoutPadding().encodeToString(r);
    }

    @Override
    public List<String> headers() {
      return List.of("Content-Type: multipart/" + subtype + ";" + (type == null ? "" : " type=\"" + type + "\";")
          + "\r\n boundary=\"" + boundary + "\"");
    }

    @Override
    public void write(OutputStream out) throws IOException {
      byte[] delimiter = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
      for (Body part : parts) {
        out.write(delimiter);
        for (String h : part.headers()) {
          out.write(h.getBytes(StandardCharsets.UTF_8));
          out.write(CRLF);
        }
        out.write(CRLF);
        part.write(out);
        // the line end before a delimiter belongs to the delimiter (RFC 2046 5.1.1)
        out.write(CRLF);
      }
      out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Base64 in lines of 76 characters; the last line has no line end. */
  static void base64(OutputStream out, InputStream in) throws IOException {
    Base64Lines.write(out, in);
  }

  /**
   * The base64 writer: the source is read in pieces of 256 whole lines (14,592 bytes), each encoded at once
   * into one array and written with one call, instead of through an encoding stream that writes every line
   * and every line end separately.
   */
  final class Base64Lines {
    /** Bytes of source per piece: 256 lines of 57 bytes, 76 characters each once encoded. */
    private static final int PIECE = 57 * 256;
    /** Lines of 76 characters separated (not ended) by CRLF. */
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(76, CRLF);

    private Base64Lines() {}

    static void write(OutputStream out, InputStream in) throws IOException {
      byte[] src = new byte[PIECE];
      byte[] dst = new byte[PIECE / 57 * 78];
      boolean first = true;
      while (true) {
        int n = fill(in, src);
        if (n == 0) {
          return;
        }
        if (!first) {
          // the lines of the previous piece end here, and more follow
          out.write(CRLF);
        }
        first = false;
        int len = ENCODER.encode(n == src.length ? src : Arrays.copyOf(src, n), dst);
        out.write(dst, 0, len);
        if (n < src.length) {
          return;
        }
      }
    }

    /** Reads until {@code buf} is full or the source ends; returns how many bytes were read. */
    private static int fill(InputStream in, byte[] buf) throws IOException {
      int n = 0;
      while (n < buf.length) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return n;
    }
  }
}
