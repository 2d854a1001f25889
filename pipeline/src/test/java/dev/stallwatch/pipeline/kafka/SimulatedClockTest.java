package dev.stallwatch.pipeline.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {
  private static final long ANCHOR = 1_000_000L;
  private static final Instant START = Instant.parse("2024-03-20T00:00:00Z");

  @Test
  void oneSpeedMapsWallToSimulatedTimeAndBack() {
    SimulatedClock clock = SimulatedClock.of(START, ANCHOR, 100);
    assertEquals(START.getMillis(), clock.simulatedAt(ANCHOR));
    assertEquals(START.getMillis() + 60_000, clock.simulatedAt(ANCHOR + 600));
    assertEquals(ANCHOR + 600, clock.wallAt(START.getMillis() + 60_000));
    assertEquals("simulated from 2024-03-20T00:00:00.000Z at 100x", clock.toString());
  }

  @Test
  void aFasterPieceStartsWhereTheFirstEndsWithoutAJump() {
    long shift = START.getMillis() + 3_600_000; // an hour in: 36 wall seconds at 100x
    SimulatedClock clock = SimulatedClock.of(START, ANCHOR, 100).fasterFrom(new Instant(shift), 1000);
    assertEquals(START.getMillis() + 60_000, clock.simulatedAt(ANCHOR + 600), "before the shift, as one speed");
    assertEquals(shift, clock.simulatedAt(ANCHOR + 36_000));
    assertEquals(shift + 1_000_000, clock.simulatedAt(ANCHOR + 37_000), "one wall second after it: 1000 simulated");
    assertEquals(ANCHOR + 36_000, clock.wallAt(shift));
    assertEquals(ANCHOR + 37_000, clock.wallAt(shift + 1_000_000));
    assertEquals(ANCHOR + 35_000, clock.wallAt(shift - 100_000));
    for (long wall = ANCHOR; wall < ANCHOR + 60_000; wall += 997) {
      assertTrue(clock.simulatedAt(wall + 1) >= clock.simulatedAt(wall), "never backwards at " + wall);
      assertEquals(wall, clock.wallAt(clock.simulatedAt(wall)), "wallAt inverts simulatedAt at " + wall);
    }
    assertEquals("simulated from 2024-03-20T00:00:00.000Z at 100x, 1000x from 2024-03-20T01:00:00.000Z", clock.toString());
  }

  @Test
  void theTwoPieceClockIsAValueAsTheJobTakesIt() throws Exception {
    SimulatedClock clock = SimulatedClock.of(START, ANCHOR, 100).fasterFrom(new Instant(START.getMillis() + 1000), 10_000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(clock);
    }
    SimulatedClock copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SimulatedClock) in.readObject();
    }
    assertEquals(clock.simulatedAt(ANCHOR + 50_000), copy.simulatedAt(ANCHOR + 50_000));
  }

  @Test
  void onlyASimulatedClockOfOneSpeedGoesFaster() {
    assertThrows(IllegalStateException.class, () -> SimulatedClock.system().fasterFrom(START, 10));
    SimulatedClock twice = SimulatedClock.of(START, ANCHOR, 100).fasterFrom(START, 200);
    assertThrows(IllegalStateException.class, () -> twice.fasterFrom(START, 400));
    assertThrows(IllegalArgumentException.class, () -> SimulatedClock.of(START, ANCHOR, 100).fasterFrom(START, 0));
  }
}
