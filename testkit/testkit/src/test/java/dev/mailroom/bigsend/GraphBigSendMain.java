package dev.mailroom.bigsend;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.OAuth2;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends an invoice with one large PDF through Microsoft Graph to the test kit's fake, in a JVM of its own
 * with a small heap, and prints the peak heap. Run by {@code GraphLargeAttachmentTest}; its package is not
 * the module's, so that it can live on the class path next to the named modules.
 *
 * <p>Arguments: Graph URL, token endpoint URL, client id, the PDF file. The client secret comes in the
 * environment variable {@code MAILROOM_CLIENT_SECRET}.
 */
public final class GraphBigSendMain {
  private GraphBigSendMain() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.HTTP).httpServer(args[0])
        .httpDialect("graph").emailAddress("billing@contoso.test").replyTo("office@contoso.test")
        .readTimeout(Duration.ofSeconds(60))
        .oauth2(OAuth2.clientCredentials(OAuth2.TokenEndpoint.of(args[1], OAuth2.GRAPH_APP_SCOPE), args[2],
            Secret.of(System.getenv("MAILROOM_CLIENT_SECRET"))))
        .build();
    long start = System.nanoTime();
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to("jane@customer.test").subject("Invoice INV-50")
          .text("Please find the invoice attached.").attach(Attachment.ofFile(Path.of(args[3]))).build());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("OK ms=" + millis + " peakHeap=" + peak + " maxHeap=" + Runtime.getRuntime().maxMemory()
        + " modulePath=" + Mailer.class.getModule().isNamed());
  }
}
