package dev.mailroom;

import java.util.Objects;

/**
 * One problem with one field of {@link EmailSettings}, so that a settings form can mark the field.
 *
 * @param field the builder method's name, e.g. {@code host}, {@code port}, {@code copyTo}; {@code url} or
 *     a properties key for problems found while parsing those
 * @param code what kind of problem: one of the constants of this class
 * @param message what is wrong and what to do, in English, with the offending value quoted (never a
 *     secret)
 */
public record SettingsProblem(String field, String code, String message) {
  /** A required value is missing. */
  public static final String REQUIRED = "required";
  /** The value is not valid (syntax, characters). */
  public static final String INVALID = "invalid";
  /** A number or duration is outside its allowed range. */
  public static final String OUT_OF_RANGE = "out-of-range";
  /** The value is valid but almost certainly a mistake, e.g. STARTTLS on port 465. */
  public static final String LIKELY_MISTAKE = "likely-mistake";
  /** The value would expose a secret or mail, e.g. a password over plain text to a remote host. */
  public static final String INSECURE = "insecure";
  /** Two values exclude each other. */
  public static final String CONFLICT = "conflict";
  /** A key or parameter that Mailroom does not know. */
  public static final String UNKNOWN = "unknown";

  /**
   * Validates the components.
   *
   * @throws NullPointerException if a component is null
      * @param field see the record component
   * @param code see the record component
   * @param message see the record component
   */
  public SettingsProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + " [" + code + "]: " + message;
  }
}
