package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shrink guard's rule of {@link RefreshedDimensions}: which tables a reload shrank below the
 * fraction they may keep. {@link RefreshedDimensionsIT} holds a running job to it.
 */
class RefreshedDimensionsShrinkTest {
  @Test
  void aTableIsRefusedWhenItFallsBelowTheFractionItMayKeep() {
    Map<String, Long> before = Map.of("BL", 100L, "CH", 10L);
    assertEquals(List.of(), RefreshedDimensions.shrunk(before, Map.of("BL", 50L, "CH", 10L), 0.5));
    assertEquals(List.of("BL"), RefreshedDimensions.shrunk(before, Map.of("BL", 49L), 0.5));
    assertEquals(List.of("CH"), RefreshedDimensions.shrunk(before, Map.of("CH", 0L), 0.5));
    assertEquals(List.of(), RefreshedDimensions.shrunk(before, Map.of("BL", 0L, "CH", 0L), 1.0));
    assertEquals(List.of("BL"), RefreshedDimensions.shrunk(before, Map.of("BL", 99L), 0.0));
    assertEquals(List.of(), RefreshedDimensions.shrunk(before, Map.of("NEW", 0L), 0.5));
    assertEquals(List.of(), RefreshedDimensions.shrunk(Map.of("BL", 0L), Map.of("BL", 0L), 0.0));

    for (double wrong : new double[] {-0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RefreshedDimensions.of(JdbcTesting.h2(), DimensionTables.defaults()).withMaxShrink(wrong));
      assertTrue(e.getMessage().startsWith("--dimensionMaxShrink: "), e.getMessage());
    }
  }
}
