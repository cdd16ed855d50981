package dev.mailroom;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@link EmailSettings.Builder#build()} found problems. {@link #problems()} lists every one, field by
 * field, so that a settings form can mark them all at once. The message never contains a secret.
 */
public final class InvalidSettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The problems; not serialized. */
  private final transient List<SettingsProblem> problems;

  /**
   * Creates the exception.
   *
   * @param problems the problems, at least one
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public InvalidSettingsException(List<SettingsProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<SettingsProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    return "Invalid email settings (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + "): " + problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; "));
  }

  /**
   * Returns every problem found, in field order.
   *
   * @return the problems, never empty
   */
  public List<SettingsProblem> problems() {
    return problems;
  }

  /**
   * Returns the problems of one field.
   *
   * @param field a field name such as {@code host}
   * @return the problems of that field, possibly empty
   */
  public List<SettingsProblem> problemsOf(String field) {
    return problems.stream().filter(p -> p.field().equals(field)).collect(Collectors.toUnmodifiableList());
  }
}
