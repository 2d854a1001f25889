package dev.stallwatch.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.testing.AlertJson;
import dev.stallwatch.testing.Conformance;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The model itself answers the public conformance cases exactly: it is fit to judge the pipeline. */
class ReferenceModelConformanceTest {
  @Test
  void modelGivesEveryCaseItsExpectedAlertsAndDeadLetters() {
    for (Path c : Conformance.cases()) {
      ReferenceModel.Result result =
          ReferenceModel.of(StallConfig.defaults())
              .withBlacklist(Conformance.blacklist(c))
              .withChannels(Conformance.channels(c))
              .run(Conformance.rows(Conformance.dump(c)));
      assertEquals(
          AlertJson.canonical(Conformance.expectedAlerts(c)),
          AlertJson.canonicalAlerts(result.alerts),
          "alerts of case " + c.getFileName());
      assertEquals(
          Conformance.expectedBad(c), result.deadLetters.size(), "dead letters of " + c.getFileName() + ": " + result.deadLetters);
    }
  }
}
