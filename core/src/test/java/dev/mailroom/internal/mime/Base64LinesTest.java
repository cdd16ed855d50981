package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Base64 written a piece at a time is byte for byte what the JDK's MIME encoding stream writes. */
class Base64LinesTest {
  private static byte[] reference(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = Base64.getMimeEncoder(76, Body.CRLF).wrap(out)) {
      enc.write(data);
    }
    return out.toByteArray();
  }

  /** A source that hands out at most a few bytes per read, as a slow network stream would. */
  private static InputStream trickle(byte[] data, Random random) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
      }
    };
  }

  @Test
  void everySizeAroundLineAndPieceBoundariesMatchesTheJdkEncodingStream() throws IOException {
    int piece = 57 * 256;
    Random random = new Random(16);
    int[] sizes = {0, 1, 2, 3, 56, 57, 58, 114, piece - 1, piece, piece + 1, piece + 57, 2 * piece, 100 * 1024,
        3 * piece - 2};
    for (int size : sizes) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      for (boolean slow : new boolean[] {false, true}) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Body.base64(out, slow ? trickle(data, random) : new ByteArrayInputStream(data));
        assertThat(out.toByteArray()).as(size + " bytes" + (slow ? ", read a little at a time" : ""))
            .isEqualTo(reference(data));
      }
    }
  }
}
