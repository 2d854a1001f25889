package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The session windows' order agrees with their equality, as a runner that keeps windows in a sorted
 * map (Beam's Spark runner) needs: windows of other applicants or gaps with the same bounds stay
 * apart, and only equal windows compare as the same.
 */
class ApplicantSessionsTest {
  private static ApplicantSessions.Window window(String applicant, long gap, long start, long end) {
    return new ApplicantSessions.Window(applicant, gap, start, end);
  }

  @Test
  void sameBoundsOfOtherApplicantsOrGapsAreOtherWindows() {
    List<ApplicantSessions.Window> windows =
        List.of(
            window("a", 480_000, 0, 480_000),
            window("b", 480_000, 0, 480_000),
            window("a", 1_800_000, 0, 480_000),
            window("a", 480_000, 1, 480_000),
            window("a", 480_000, 0, 480_001));
    TreeMap<ApplicantSessions.Window, Integer> sorted = new TreeMap<>();
    for (int i = 0; i < windows.size(); i++) {
      sorted.put(windows.get(i), i);
    }
    assertEquals(windows.size(), sorted.size(), "a sorted map keeps every window apart: " + sorted.keySet());
    for (ApplicantSessions.Window a : windows) {
      for (ApplicantSessions.Window b : windows) {
        assertEquals(a.equals(b), a.compareTo(b) == 0, a + " vs " + b);
        assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)), a + " vs " + b);
      }
    }
    assertEquals(0, window("a", 480_000, 0, 480_000).compareTo(window("a", 480_000, 0, 480_000)));
    assertNotEquals(0, window("a", 480_000, 0, 480_000).compareTo(window("b", 480_000, 0, 480_000)));
  }
}
