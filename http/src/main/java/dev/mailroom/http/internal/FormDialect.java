package dev.mailroom.http.internal;

import com.github.mizosoft.methanol.MultipartBodyPublisher;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings form's own HTTP mail protocol ({@code form}): a {@code multipart/form-data} POST to the
 * server URL with the text fields {@code from} (the sender's display name), {@code reply_to}, {@code to}
 * (comma-separated), {@code subject} and {@code body} (HTML), and one file part per attachment under a
 * random part name. {@code Authorization: Bearer} only when an API key is set. Any 2xx is success.
 *
 * <p>The protocol has no cc or bcc: cc recipients go into {@code to} (they are visible anyway); blind
 * recipients and the copy address get a request of their own (see {@link #blindCopies()}). It has no
 * custom headers either: they are not sent, and a WARN names them (once per header name).
 */
public final class FormDialect implements HttpDialect {
  private static final Logger LOG = LoggerFactory.getLogger(FormDialect.class);

  /** Creates the dialect. */
  public FormDialect() {}

  @Override
  public String id() {
    return "form";
  }

  @Override
  public boolean blindCopies() {
    return false;
  }

  @Override
  public HttpRequest request(SendRequest request, Context context) throws IOException {
    Email e = request.email();
    DialectSupport.refuseUncarried(request, "The settings form's HTTP mail protocol (form)", false, false, false);
    DialectSupport.refuseMessageId(request, "The settings form's HTTP mail protocol (form)");
    warnAboutHeaders(e);
    Address from = request.from();
    List<Address> visible = new ArrayList<>(e.to());
    for (Address cc : e.cc()) {
      if (!DialectSupport.contains(visible, cc)) {
        visible.add(cc);
      }
    }
    String fromName = from.name().isPresent() ? from.name().get() : from.email();
    String replyTo = join(e.replyTo());
    String to = join(visible);
    String body = e.html().orElseGet(() -> e.text().map(Html::fromText).orElse(""));
    HttpRequest.BodyPublisher publisher;
    String contentType;
    if (e.attachments().isEmpty()) {
      TextForm.Encoded form = new TextForm().add("from", fromName).add("reply_to", replyTo).add("to", to)
          .add("subject", e.subject()).add("body", body).encode();
      publisher = Bodies.ofBytes(form.body());
      contentType = form.contentType();
    } else {
      MultipartBodyPublisher.Builder parts = MultipartBodyPublisher.newBuilder()
          .textPart("from", fromName)
          .textPart("reply_to", replyTo)
          .textPart("to", to)
          .textPart("subject", e.subject())
          .textPart("body", body);
      for (Attachment a : e.attachments()) {
        parts.formPart(UUID.randomUUID().toString(), Attachments.multipartFilename(a.filename()),
            Attachments.publisher(a), Attachments.mediaType(a));
      }
      MultipartBodyPublisher multipart = parts.build();
      publisher = Bodies.compact(multipart);
      contentType = multipart.mediaType().toString();
    }
    HttpRequest.Builder b = context.newRequest("")
        .header("Content-Type", contentType)
        .POST(publisher);
    context.settings().apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k.reveal()));
    return b.build();
  }

  private static void warnAboutHeaders(Email e) {
    DialectSupport.warnDropped("The settings form's HTTP mail protocol (dialect form) has no custom headers",
        e.headers().keySet());
  }

  private static String join(List<Address> list) {
    if (list.size() == 1) {
      return list.get(0).email();
    }
    StringBuilder b = new StringBuilder();
    for (Address a : list) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(a.email());
    }
    return b.toString();
  }
}
