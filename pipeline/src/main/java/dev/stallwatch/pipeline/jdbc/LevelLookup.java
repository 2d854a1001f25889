package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.transforms.StallMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C6's level dimension from C2's dictionary (CLASSROOM.md C2, C6): {@code rowkey} (the lowercase
 * hex MD5 of a channel's {@code id}) to its {@code level}, read from a {@link KeyValueTable} such
 * as {@link JdbcKeyValueTable#levelDictionary}. C6 looks a registration's {@code channel_id} up by
 * {@link #rowkey}; bucketing the level into {@code A}..{@code D} or {@code other} is C6's business,
 * so the map holds the level as stored. A row without a level is left out: to C6 it is as unknown
 * as a channel without a row.
 *
 * <p>{@link #levels} reads the map once (a batch job's side input, a job's check at start, a
 * test's expectation); {@link #refreshed} is the side input of a streaming job that follows the
 * table, reloaded on a timer the way {@link RefreshedDimensions} reloads the blacklist.
 */
public final class LevelLookup {
  private LevelLookup() {}

  /** The level column of C2's dictionary. */
  public static final String LEVEL_COLUMN = "level";

  /** Counter, in namespace {@code stallwatch}, of level reloads that failed (the last map kept). */
  public static final String RELOAD_FAILURES = "level_reload_failures";

  /** Every row key of {@code table} with a level, to that level, read now. */
  public static Map<String, String> levels(KeyValueTable table) {
    Map<String, String> levels = new HashMap<>();
    for (Map.Entry<String, Row> e : table.readAll().entrySet()) {
      String level = e.getValue().getString(LEVEL_COLUMN);
      if (level != null) {
        levels.put(e.getKey(), level);
      }
    }
    return levels;
  }

  /** The row key of a dictionary id: the lowercase hex MD5 of its UTF-8 bytes (C2). */
  public static String rowkey(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(id.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(32);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5", e); // every Java SE has MD5
    }
  }

  /**
   * {@link #levels} of {@code table} as a singleton side input of a streaming job, reloaded every
   * {@code period}: Beam's slowly updating global-window side input, with {@link
   * RefreshedDimensions}' guards (each pane combined to its newest load, so a backlog of ticks
   * never puts two maps in one pane; ticks in a burst load once). A reload that fails keeps the
   * last map, counts one {@code stallwatch/}{@value #RELOAD_FAILURES} and logs a warning; a first
   * load that fails fails the bundle with the {@link DimensionLoadException}. Streaming only (the
   * ticks never end).
   */
  public static PTransform<PBegin, PCollectionView<Map<String, String>>> refreshed(
      KeyValueTable table, Duration period) {
    return new Refreshed(table, period);
  }

  private static final class Refreshed extends PTransform<PBegin, PCollectionView<Map<String, String>>> {
    private static final long serialVersionUID = 1L;
    private final KeyValueTable table;
    private final Duration period;

    Refreshed(KeyValueTable table, Duration period) {
      if (period.getMillis() < 1) {
        throw new IllegalArgumentException("the level refresh period must be positive");
      }
      this.table = table;
      this.period = period;
    }

    @Override
    public PCollectionView<Map<String, String>> expand(PBegin begin) {
      MapCoder<String, String> mapCoder = MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
      return begin
          .apply("LevelTicks", GenerateSequence.from(0).withRate(1, period))
          .apply(
              "EveryTick",
              Window.<Long>into(new GlobalWindows())
                  .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
                  .discardingFiredPanes())
          .apply("OneLoader", WithKeys.of("levels"))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
          .apply("LoadLevels " + table.name(), ParDo.of(new LoadFn(table, period)))
          .setCoder(KvCoder.of(VarLongCoder.of(), mapCoder))
          .apply(
              "LevelsView",
              Combine.globally(new RefreshedDimensions.Newest<Map<String, String>>())
                  .withoutDefaults()
                  .asSingletonView());
    }
  }

  /** Loads the levels on each tick; one key, so one loader, whose state holds the last good map. */
  private static final class LoadFn extends DoFn<KV<String, Long>, KV<Long, Map<String, String>>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LevelLookup.class);

    private final KeyValueTable table;
    private final long minMillisBetweenLoads;
    private final Counter failures = Metrics.counter(StallMetrics.NAMESPACE, RELOAD_FAILURES);

    @StateId("levels")
    private final StateSpec<ValueState<Map<String, String>>> levelsSpec =
        StateSpecs.value(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));

    @StateId("lastAttempt")
    private final StateSpec<ValueState<Long>> lastAttemptSpec = StateSpecs.value(VarLongCoder.of());

    LoadFn(KeyValueTable table, Duration period) {
      this.table = table;
      this.minMillisBetweenLoads = period.getMillis() / 2;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Long> tick,
        @StateId("levels") ValueState<Map<String, String>> last,
        @StateId("lastAttempt") ValueState<Long> lastAttempt,
        OutputReceiver<KV<Long, Map<String, String>>> out) {
      long now = System.currentTimeMillis();
      Long before = lastAttempt.read();
      if (before != null && now - before < minMillisBetweenLoads) {
        return; // ticks that caught up after a pause: one load serves them all
      }
      lastAttempt.write(now);
      Map<String, String> levels;
      try {
        levels = levels(table);
        last.write(levels);
      } catch (DimensionLoadException e) {
        Map<String, String> kept = last.read();
        if (kept == null) {
          throw e;
        }
        failures.inc();
        LOG.warn("reloading levels from {} failed, keeping the last map: {}", table.name(), e.getMessage());
        levels = kept;
      }
      out.output(KV.of(tick.getValue(), levels));
    }
  }
}
