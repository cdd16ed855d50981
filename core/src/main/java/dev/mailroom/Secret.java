package dev.mailroom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password, API key or token. Its {@link #toString()} prints {@code ******}, so a secret never shows up
 * in logs, exception messages or the {@code toString()} of the objects that hold it.
 *
 * <p>Instances are immutable and thread-safe. {@link #equals(Object)} compares the values in constant
 * time.
 */
public final class Secret {
  private static final String MASK = "******";
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret value.
   *
   * @param value the password, API key or token
   * @return the secret
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is empty
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value);
  }

  /**
   * Returns the secret value, for the code that has to put it on the wire. Never log it.
   *
   * @return the value
   */
  public String reveal() {
    return value;
  }

  /**
   * Returns {@code ******}, never the value.
   *
   * @return {@code ******}
   */
  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), ((Secret) o).value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
