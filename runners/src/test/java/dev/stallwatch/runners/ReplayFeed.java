package dev.stallwatch.runners;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.kafka.KafkaReplay;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replay {@code generate --bootstrapServers} sends ({@link KafkaReplay}), sent in a thread of
 * its own while the test injects faults. Its producer waits out a broker that is away: its records
 * stay buffered and are sent when the broker is back.
 */
final class ReplayFeed {
  /** Settings that let the producer wait five minutes for a broker rather than fail. */
  private static final Map<String, Object> PATIENT =
      Map.of("delivery.timeout.ms", 300_000, "max.block.ms", 300_000);

  private final KafkaReplay replay;
  private final AtomicLong sent = new AtomicLong(-1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private Thread thread;

  private ReplayFeed(KafkaReplay replay) {
    this.replay = replay;
  }

  /**
   * The rows of {@code generator} due in {@code [fromMillis, toMillis)} of simulated time (event
   * time plus a delay below {@code maxDelayMillis}), scheduled deterministically for {@code seed}.
   */
  static ReplayFeed of(
      JourneyGenerator generator, ZoneId zone, long fromMillis, long toMillis, long maxDelayMillis, long seed) {
    return new ReplayFeed(KafkaReplay.of(generator, seed, zone, maxDelayMillis).between(fromMillis, toMillis));
  }

  List<KafkaReplay.Message> messages() {
    return replay.messages();
  }

  /** The rows as the job reads them, for the reference model. */
  List<RawRow> rows() {
    return replay.rows();
  }

  long firstDueMillis() {
    return replay.firstDueMillis();
  }

  long lastDueMillis() {
    return replay.lastDueMillis();
  }

  /** Starts sending to {@code topic} on {@code clock}. */
  void start(String bootstrapServers, String topic, SimulatedClock clock) {
    thread =
        new Thread(
            () -> {
              try {
                sent.set(replay.send(bootstrapServers, topic, PATIENT, clock));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              }
            },
            "replay-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every message is acknowledged by the broker; fails if one could not be sent. */
  long awaitSent(long timeoutMillis) throws InterruptedException {
    thread.join(Math.max(1, timeoutMillis));
    if (failure.get() != null) {
      throw new AssertionError("the replay could not send a row", failure.get());
    }
    if (thread.isAlive() || sent.get() != replay.messages().size()) {
      throw new AssertionError("the replay sent " + Math.max(0, sent.get()) + " of " + replay.messages().size() + " rows in time");
    }
    return sent.get();
  }

  void stop() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
