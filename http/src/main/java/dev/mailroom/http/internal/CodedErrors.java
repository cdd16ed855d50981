package dev.mailroom.http.internal;

import dev.mailroom.http.HttpDialect;
import java.util.Optional;

/**
 * A dialect whose API names its errors (Graph, Gmail, SES): the sender classifies the code through
 * {@link dev.mailroom.internal.ApiErrors}, the table the diagnostics use too.
 */
interface CodedErrors {
  /**
   * The API's error code in an error answer.
   *
   * @param response the answer
   * @return the code, or empty
   */
  Optional<String> errorCode(HttpDialect.Response response);
}
