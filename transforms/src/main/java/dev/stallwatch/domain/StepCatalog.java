package dev.stallwatch.domain;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The step catalog as data (SPEC §3): which class each {@code business_flag_last} code belongs to,
 * and which codes end an application (terminal, SPEC §2).
 */
public final class StepCatalog implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Class of activity whose code the catalog does not know (or that has no code). */
  public static final String UNKNOWN = "UNKNOWN";

  /** Class of a row that ends the applicant's run (status not 0, or a terminal code). */
  public static final String TERMINAL = "TERMINAL";

  /** The only {@code request_status} that means "application in progress". */
  public static final String IN_PROGRESS = "0";

  private final List<StepClass> classes;
  private final Set<String> terminalCodes;
  private final Map<String, StepClass> byName;
  private final Map<String, StepClass> anyBranch;
  private final Map<String, StepClass> withoutBranch;
  private final Map<String, StepClass> withBranch;

  private StepCatalog(List<StepClass> classes, Set<String> terminalCodes) {
    this.classes = List.copyOf(classes);
    this.terminalCodes = Set.copyOf(terminalCodes);
    this.byName = new LinkedHashMap<>();
    this.anyBranch = new HashMap<>();
    this.withoutBranch = new HashMap<>();
    this.withBranch = new HashMap<>();
    for (StepClass c : this.classes) {
      if (UNKNOWN.equals(c.name()) || TERMINAL.equals(c.name())) {
        throw new IllegalArgumentException("step class name " + c.name() + " is reserved");
      }
      if (byName.put(c.name(), c) != null) {
        throw new IllegalArgumentException("step class " + c.name() + " is listed twice");
      }
      for (String code : c.codes()) {
        claim(anyBranch, code, c);
        if (withoutBranch.containsKey(code) || withBranch.containsKey(code)) {
          throw conflict(code);
        }
      }
      for (String code : c.codesWithoutBranch()) {
        claim(withoutBranch, code, c);
        if (anyBranch.containsKey(code)) {
          throw conflict(code);
        }
      }
      for (String code : c.codesWithBranch()) {
        claim(withBranch, code, c);
        if (anyBranch.containsKey(code)) {
          throw conflict(code);
        }
      }
    }
    for (String code : this.terminalCodes) {
      if (anyBranch.containsKey(code)
          || withoutBranch.containsKey(code)
          || withBranch.containsKey(code)) {
        throw new IllegalArgumentException(
            "code " + code + " is both terminal and in a step class");
      }
    }
  }

  private static void claim(Map<String, StepClass> map, String code, StepClass c) {
    StepClass previous = map.put(code, c);
    if (previous != null) {
      throw new IllegalArgumentException(
          "code " + code + " is in both " + previous.name() + " and " + c.name());
    }
  }

  private static IllegalArgumentException conflict(String code) {
    return new IllegalArgumentException(
        "code " + code + " belongs to a class regardless of branch and also depends on branch");
  }

  public static StepCatalog of(List<StepClass> classes, Set<String> terminalCodes) {
    return new StepCatalog(classes, terminalCodes);
  }

  /** SPEC §3's default catalog. */
  public static StepCatalog defaults() {
    return of(
        List.of(
            StepClass.of("ID_UPLOAD", "1", "上传身份证", List.of("12100", "22146", "22107", "22135")),
            StepClass.of("PROFILE_EDIT", "2", "个人信息修改", List.of("22145", "22111", "22224", "22241"))
                .withCodesWithoutBranch(List.of("22123", "22106")),
            StepClass.of("SELECT_MARKET", "3", "选择市场", List.of())
                .withCodesWithBranch(List.of("22123", "22106")),
            StepClass.of("SET_PASSWORD", "4", "设置密码", List.of("12104", "33500")),
            StepClass.of("THIRD_PARTY_CUSTODY", "5", "三方存管", List.of("22112")),
            StepClass.of("RISK_ASSESSMENT", "6", "风险评测", List.of("22113", "33232", "22110")),
            StepClass.of("QUESTIONNAIRE", "7", "问卷回访", List.of("22122", "22128", "22115")),
            StepClass.of(
                "VIDEO", "8", "视频见证", List.of("22109", "22144", "22108", "22182", "22160"))),
        Set.of("22114"));
  }

  /**
   * The class of a row: {@link #TERMINAL} when its status is not "in progress" or its code is
   * terminal, the catalog class of its code (and branch), else {@link #UNKNOWN}.
   */
  public String classify(String requestStatus, String businessFlag, String branchNo) {
    if (!IN_PROGRESS.equals(requestStatus) || terminalCodes.contains(businessFlag)) {
      return TERMINAL;
    }
    StepClass c = anyBranch.get(businessFlag);
    if (c == null) {
      c = (branchNo.isEmpty() ? withoutBranch : withBranch).get(businessFlag);
    }
    return c == null ? UNKNOWN : c.name();
  }

  public String classify(Event e) {
    return classify(e.requestStatus(), e.businessFlag(), e.branchNo());
  }

  /** The class named {@code name}, or null for UNKNOWN, TERMINAL and names not in the catalog. */
  public StepClass get(String name) {
    return byName.get(name);
  }

  public List<StepClass> classes() {
    return classes;
  }

  public Set<String> terminalCodes() {
    return terminalCodes;
  }

  public boolean contains(String className) {
    return byName.containsKey(className);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepCatalog
        && classes.equals(((StepCatalog) o).classes)
        && terminalCodes.equals(((StepCatalog) o).terminalCodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classes, terminalCodes);
  }
}
