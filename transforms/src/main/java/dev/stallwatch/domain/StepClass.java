package dev.stallwatch.domain;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One class of the step catalog (SPEC §3): its name, the step code and name an alert carries, and
 * the {@code business_flag_last} codes that belong to it — always, only when the row's {@code
 * branch_no} is empty, or only when it is not.
 */
public final class StepClass implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String stepCode;
  private final String stepName;
  private final List<String> codes;
  private final List<String> codesWithoutBranch;
  private final List<String> codesWithBranch;

  private StepClass(
      String name,
      String stepCode,
      String stepName,
      List<String> codes,
      List<String> codesWithoutBranch,
      List<String> codesWithBranch) {
    this.name = Objects.requireNonNull(name, "name");
    this.stepCode = Objects.requireNonNull(stepCode, "stepCode");
    this.stepName = Objects.requireNonNull(stepName, "stepName");
    this.codes = List.copyOf(codes);
    this.codesWithoutBranch = List.copyOf(codesWithoutBranch);
    this.codesWithBranch = List.copyOf(codesWithBranch);
  }

  public static StepClass of(String name, String stepCode, String stepName, List<String> codes) {
    return new StepClass(name, stepCode, stepName, codes, List.of(), List.of());
  }

  /** The same class with codes that count only when {@code branch_no} is empty. */
  public StepClass withCodesWithoutBranch(List<String> more) {
    return new StepClass(name, stepCode, stepName, codes, more, codesWithBranch);
  }

  /** The same class with codes that count only when {@code branch_no} is not empty. */
  public StepClass withCodesWithBranch(List<String> more) {
    return new StepClass(name, stepCode, stepName, codes, codesWithoutBranch, more);
  }

  public String name() {
    return name;
  }

  public String stepCode() {
    return stepCode;
  }

  public String stepName() {
    return stepName;
  }

  public List<String> codes() {
    return codes;
  }

  public List<String> codesWithoutBranch() {
    return codesWithoutBranch;
  }

  public List<String> codesWithBranch() {
    return codesWithBranch;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StepClass)) {
      return false;
    }
    StepClass c = (StepClass) o;
    return name.equals(c.name)
        && stepCode.equals(c.stepCode)
        && stepName.equals(c.stepName)
        && codes.equals(c.codes)
        && codesWithoutBranch.equals(c.codesWithoutBranch)
        && codesWithBranch.equals(c.codesWithBranch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, stepCode, codes, codesWithoutBranch, codesWithBranch);
  }

  @Override
  public String toString() {
    return name + "(" + stepCode + " " + stepName + ")";
  }
}
