package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.transforms.StallMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.NullableCoder;
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
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blacklist and the channel names as side inputs that follow their tables: reloaded every
 * {@link #every refresh period} (default 5 minutes) while the streaming job runs, so a customer
 * blacklisted at noon is excluded from the afternoon's alerts without a restart.
 *
 * <p>This is Beam's "slowly updating global window side inputs" pattern: a {@link
 * GenerateSequence} ticks at the refresh rate into the global window with a trigger that fires on
 * every tick, discarding fired panes; a DoFn loads the tables on each tick; the views take the
 * latest load. Two guards keep it sound on every runner:
 *
 * <ul>
 *   <li>{@code View.asSingleton()} fails the job ("PCollection with more than one element accessed
 *       as a singleton view", apache/beam#21376, #26465) when two loads land in one pane, as they
 *       do after a backlog. The views here combine each pane down to its newest load instead.
 *   <li>The loader keeps its last good snapshot in state (so on Flink it survives a restore from a
 *       checkpoint), and ticks that come in a burst, as after a restore, load once.
 * </ul>
 *
 * <p>A reload that fails keeps the last good snapshot (emitted again), counts one {@code
 * stallwatch/}{@value #RELOAD_FAILURES} and logs a warning naming the table and the error. A first
 * load that fails fails the bundle with a {@link DimensionLoadException} naming the table and the
 * URL; call {@link #loadOnce} before submitting the job to stop it at start instead.
 *
 * <p>A reload that succeeds on a table an ETL has just truncated would replace the blacklist with
 * an empty one. So a reload in which a table's row count falls below {@code (1 - maxShrink)} of
 * that table's count at the last accepted load ({@link #withMaxShrink}, default {@value
 * #DEFAULT_MAX_SHRINK}) is refused: the last snapshot of that table's dimension (the blacklist,
 * which holds the existing customers too, or the channel names) is kept, one {@code
 * stallwatch/}{@value #RELOADS_REFUSED} counted per table, and a warning logged naming the table
 * and both counts. The loader's first load is accepted as it is; a later load that is back within
 * the fraction is accepted again.
 *
 * <p>Streaming only (the tick source never ends); a batch job reads {@link #loadOnce} into a
 * {@code Create}. On Flink the views are broadcast to every parallel instance that reads them and
 * kept in operator state: size the blacklist with that in mind.
 */
public final class RefreshedDimensions extends PTransform<PBegin, RefreshedDimensions.Views> {
  public static final Duration DEFAULT_REFRESH = Duration.standardMinutes(5);

  /** Counter, in namespace {@code stallwatch}, of reloads in which some table failed. */
  public static final String RELOAD_FAILURES = "dimension_reload_failures";

  /**
   * Counter, in namespace {@code stallwatch}, of tables whose reload was refused because it had
   * shrunk more than the allowed fraction.
   */
  public static final String RELOADS_REFUSED = "dimension_reloads_refused";

  /** The fraction by which a table may shrink from one accepted load to the next by default. */
  public static final double DEFAULT_MAX_SHRINK = 0.5;

  private static final TupleTag<KV<Long, Blacklist>> BLACKLIST = new TupleTag<>() {};
  private static final TupleTag<KV<Long, ChannelNames>> CHANNELS = new TupleTag<>() {};

  private final JdbcSettings settings;
  private final DimensionTables tables;
  private final Duration refresh;
  private final double maxShrink;

  private RefreshedDimensions(
      JdbcSettings settings, DimensionTables tables, Duration refresh, double maxShrink) {
    if (refresh.getMillis() < 1) {
      throw new IllegalArgumentException("the dimension refresh period must be positive");
    }
    checkMaxShrink(maxShrink);
    this.settings = settings;
    this.tables = tables;
    this.refresh = refresh;
    this.maxShrink = maxShrink;
  }

  /** Reloads {@code tables} of the database {@code settings} describe every 5 minutes. */
  public static RefreshedDimensions of(JdbcSettings settings, DimensionTables tables) {
    return new RefreshedDimensions(settings, tables, DEFAULT_REFRESH, DEFAULT_MAX_SHRINK);
  }

  /** Reloads every {@code period} instead. */
  public RefreshedDimensions every(Duration period) {
    return new RefreshedDimensions(settings, tables, period, maxShrink);
  }

  /**
   * Refuses a reload in which a table has fewer than {@code (1 - fraction)} of the rows it had at
   * the last accepted load; {@code fraction} is from 0 (no shrinking at all) to 1 (the guard is
   * off).
   */
  public RefreshedDimensions withMaxShrink(double fraction) {
    return new RefreshedDimensions(settings, tables, refresh, fraction);
  }

  /** An {@link IllegalArgumentException} for a fraction outside 0..1, in the option's words. */
  public static void checkMaxShrink(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "--dimensionMaxShrink: must be a fraction from 0 to 1 (1 turns the guard off), not "
              + fraction);
    }
  }

  /**
   * Reads the tables once, now; throws a {@link DimensionLoadException} naming the table and the
   * URL when one cannot be read. A job calls it before it is submitted, so that a wrong table name
   * or an unreachable database stops it at start with one clear line.
   */
  public static Dimensions loadOnce(JdbcSettings settings, DimensionTables tables) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Blacklist blacklist = tables.loadBlacklist(settings, rows);
    ChannelNames channels = tables.loadChannels(settings, rows);
    return Dimensions.of(blacklist, channels).withRows(rows);
  }

  /**
   * The tables of {@code now} whose row count fell below {@code (1 - maxShrink)} of their count in
   * {@code accepted}; a table {@code accepted} does not know is never among them.
   */
  static List<String> shrunk(Map<String, Long> accepted, Map<String, Long> now, double maxShrink) {
    List<String> tables = new ArrayList<>();
    now.forEach(
        (table, rows) -> {
          Long before = accepted.get(table);
          if (before != null && rows < (1 - maxShrink) * before) {
            tables.add(table);
          }
        });
    return tables;
  }

  /** The two side inputs. */
  public static final class Views implements POutput {
    private final Pipeline pipeline;
    private final PCollectionView<Blacklist> blacklist;
    private final PCollectionView<ChannelNames> channels;

    private Views(
        Pipeline pipeline,
        PCollectionView<Blacklist> blacklist,
        PCollectionView<ChannelNames> channels) {
      this.pipeline = pipeline;
      this.blacklist = blacklist;
      this.channels = channels;
    }

    /** The blacklist with the existing customers, as last loaded. */
    public PCollectionView<Blacklist> blacklist() {
      return blacklist;
    }

    /** The channel names, as last loaded. */
    public PCollectionView<ChannelNames> channels() {
      return channels;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      Map<TupleTag<?>, PValue> views = new LinkedHashMap<>();
      views.put(blacklist.getTagInternal(), blacklist);
      views.put(channels.getTagInternal(), channels);
      return views;
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  @Override
  public Views expand(PBegin begin) {
    PCollectionTuple loads =
        begin
            .apply("DimensionTicks", GenerateSequence.from(0).withRate(1, refresh))
            .apply(
                "EveryTick",
                Window.<Long>into(new GlobalWindows())
                    .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
                    .discardingFiredPanes())
            .apply("OneLoader", WithKeys.of("dimensions"))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply(
                "LoadDimensions",
                ParDo.of(new LoadFn(settings, tables, refresh, maxShrink))
                    .withOutputTags(BLACKLIST, TupleTagList.of(CHANNELS)));
    PCollectionView<Blacklist> blacklist =
        loads
            .get(BLACKLIST)
            .setCoder(KvCoder.of(VarLongCoder.of(), Blacklist.BlacklistCoder.of()))
            .apply(
                "BlacklistView",
                Combine.globally(new Newest<Blacklist>()).withoutDefaults().asSingletonView());
    PCollectionView<ChannelNames> channels =
        loads
            .get(CHANNELS)
            .setCoder(KvCoder.of(VarLongCoder.of(), ChannelNames.ChannelNamesCoder.of()))
            .apply(
                "ChannelsView",
                Combine.globally(new Newest<ChannelNames>()).withoutDefaults().asSingletonView());
    return new Views(begin.getPipeline(), blacklist, channels);
  }

  /**
   * Loads the tables on each tick; one key, so one loader, whose state holds the last good
   * snapshots and the time of the last attempt.
   */
  private static final class LoadFn extends DoFn<KV<String, Long>, KV<Long, Blacklist>> {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshedDimensions.class);

    private final JdbcSettings settings;
    private final DimensionTables tables;
    private final long minMillisBetweenLoads;
    private final double maxShrink;
    private final Counter failures = Metrics.counter(StallMetrics.NAMESPACE, RELOAD_FAILURES);
    private final Counter refused = Metrics.counter(StallMetrics.NAMESPACE, RELOADS_REFUSED);

    @StateId("blacklist")
    private final StateSpec<ValueState<Blacklist>> blacklistSpec =
        StateSpecs.value(Blacklist.BlacklistCoder.of());

    @StateId("channels")
    private final StateSpec<ValueState<ChannelNames>> channelsSpec =
        StateSpecs.value(ChannelNames.ChannelNamesCoder.of());

    @StateId("lastAttempt")
    private final StateSpec<ValueState<Long>> lastAttemptSpec =
        StateSpecs.value(VarLongCoder.of());

    /** Each table's row count at its last accepted load; none before the first load. */
    @StateId("rows")
    private final StateSpec<ValueState<Map<String, Long>>> rowsSpec =
        StateSpecs.value(MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

    LoadFn(JdbcSettings settings, DimensionTables tables, Duration refresh, double maxShrink) {
      this.settings = settings;
      this.tables = tables;
      this.minMillisBetweenLoads = refresh.getMillis() / 2;
      this.maxShrink = maxShrink;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Long> tick,
        @StateId("blacklist") ValueState<Blacklist> lastBlacklist,
        @StateId("channels") ValueState<ChannelNames> lastChannels,
        @StateId("lastAttempt") ValueState<Long> lastAttempt,
        @StateId("rows") ValueState<Map<String, Long>> acceptedRows,
        MultiOutputReceiver out) {
      long now = System.currentTimeMillis();
      Long last = lastAttempt.read();
      if (last != null && now - last < minMillisBetweenLoads) {
        return; // ticks that caught up after a pause: one load serves them all
      }
      lastAttempt.write(now);
      long sequence = tick.getValue();

      Map<String, Long> stored = acceptedRows.read();
      Map<String, Long> accepted = stored == null ? new HashMap<>() : new HashMap<>(stored);

      boolean failed = false;
      Blacklist blacklist;
      try {
        Map<String, Long> rows = new HashMap<>();
        Blacklist loaded = tables.loadBlacklist(settings, rows);
        blacklist = acceptOrKeep(loaded, lastBlacklist.read(), rows, accepted);
        lastBlacklist.write(blacklist);
      } catch (DimensionLoadException e) {
        blacklist = keepLast(lastBlacklist.read(), e);
        failed = true;
      }
      out.get(BLACKLIST).output(KV.of(sequence, blacklist));

      ChannelNames channels;
      try {
        Map<String, Long> rows = new HashMap<>();
        ChannelNames loaded = tables.loadChannels(settings, rows);
        channels = acceptOrKeep(loaded, lastChannels.read(), rows, accepted);
        lastChannels.write(channels);
      } catch (DimensionLoadException e) {
        channels = keepLast(lastChannels.read(), e);
        failed = true;
      }
      out.get(CHANNELS).output(KV.of(sequence, channels));

      acceptedRows.write(accepted);
      if (failed) {
        failures.inc();
      }
    }

    /**
     * {@code loaded}, and its tables' {@code rows} into {@code accepted}, unless a table shrank
     * more than allowed since it was last accepted: then {@code last}, with a warning and a count
     * per table. Without a last snapshot (the first load) {@code loaded} is taken as it is.
     */
    private <T> T acceptOrKeep(
        T loaded, T last, Map<String, Long> rows, Map<String, Long> accepted) {
      List<String> shrunk = last == null ? List.of() : shrunk(accepted, rows, maxShrink);
      if (shrunk.isEmpty()) {
        accepted.putAll(rows);
        return loaded;
      }
      for (String table : shrunk) {
        refused.inc();
        LOG.warn(
            "refusing the reload of dimension table {}: {} rows, down from {} at the last accepted"
                + " load (more than --dimensionMaxShrink={}); keeping its last snapshot",
            table,
            rows.get(table),
            accepted.get(table),
            maxShrink);
      }
      return last;
    }

    /** The last good snapshot; without one (the first load) the error stands. */
    private static <T> T keepLast(T last, DimensionLoadException e) {
      if (last == null) {
        throw e;
      }
      LOG.warn(
          "reloading dimension table {} failed, keeping its last snapshot: {}",
          e.table(),
          e.getMessage());
      return last;
    }
  }

  /** Of the loads in a pane, the one of the latest tick. */
  static final class Newest<T> extends Combine.CombineFn<KV<Long, T>, KV<Long, T>, T> {
    @Override
    public KV<Long, T> createAccumulator() {
      return KV.of(Long.MIN_VALUE, null);
    }

    @Override
    public KV<Long, T> addInput(KV<Long, T> newest, KV<Long, T> load) {
      return load.getKey() >= newest.getKey() ? load : newest;
    }

    @Override
    public KV<Long, T> mergeAccumulators(Iterable<KV<Long, T>> accumulators) {
      KV<Long, T> newest = createAccumulator();
      for (KV<Long, T> a : accumulators) {
        newest = addInput(newest, a);
      }
      return newest;
    }

    @Override
    public T extractOutput(KV<Long, T> newest) {
      return newest.getValue();
    }

    @Override
    public Coder<KV<Long, T>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<Long, T>> inputCoder)
        throws CannotProvideCoderException {
      return KvCoder.of(BigEndianLongCoder.of(), NullableCoder.of(valueCoder(inputCoder)));
    }

    @Override
    public Coder<T> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Long, T>> inputCoder)
        throws CannotProvideCoderException {
      return valueCoder(inputCoder);
    }

    @SuppressWarnings("unchecked") // checked: a KvCoder of KV<Long, T> has a Coder<T> value coder
    private static <T> Coder<T> valueCoder(Coder<KV<Long, T>> inputCoder)
        throws CannotProvideCoderException {
      if (!(inputCoder instanceof KvCoder)) {
        throw new CannotProvideCoderException("expected a KvCoder, not " + inputCoder);
      }
      return ((KvCoder<Long, T>) inputCoder).getValueCoder();
    }
  }
}
