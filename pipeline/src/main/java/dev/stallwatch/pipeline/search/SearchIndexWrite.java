package dev.stallwatch.pipeline.search;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link SearchDoc}s to an OpenSearch or Elasticsearch index through the {@code _bulk} API,
 * idempotently: each document is indexed under its {@code _id} with its version as an external
 * version, so the index keeps per id the highest version it was ever given. A replay, a retried
 * bundle or a restored job that writes an older revision after a newer one changes nothing: the
 * node answers 409 for it, counted as superseded, not as an error.
 *
 * <p><b>Batches.</b> Documents are collected per bundle and sent in one {@code _bulk} request
 * (java.net.http, NDJSON) when the batch holds {@link SearchSettings#bulkSize} documents, when its
 * oldest document has waited {@link SearchSettings#flushInterval} (checked as documents arrive,
 * there is no timer), and at the end of every bundle, so nothing waits longer than a bundle. Of two
 * documents of one id in a batch only the highest version is sent.
 *
 * <p><b>Failures.</b> A request that fails with an I/O error, 429 or a 5xx status, and the items
 * the node answers with 429 or a 5xx status, are sent again with exponential backoff
 * ({@link SearchSettings#initialBackoff}, doubling up to 30 s) for at most {@link
 * SearchSettings#maxRetryDuration}; then the bundle fails with a message that says why, and the
 * runner retries it (harmlessly: every write is conditional on its version). A request the node
 * refuses as a whole (401, 403, 404, 413 ...) fails the bundle at once. An item the node refuses
 * (400 mapper_parsing_exception for a field of the wrong type, 404 for a missing index, ...) and a
 * source that is not one JSON object are dead letters: the other documents land.
 *
 * <p><b>Outputs.</b> {@link #expand} gives a collection with no elements, to wait on with {@code
 * Wait.on}; the dead letters are then only counted and logged. {@link #withResult} gives a {@link
 * Result} with the dead letters too, each in the window and at the timestamp of its document.
 *
 * <p>Counters, in namespace {@value #NAMESPACE}: {@value #WRITTEN}, {@value #SUPERSEDED}, {@value
 * #REJECTED}, {@value #RETRIES}.
 */
public final class SearchIndexWrite extends PTransform<PCollection<SearchDoc>, PCollection<Void>> {
  public static final String NAMESPACE = "search";
  public static final String WRITTEN = "docs_written";
  public static final String SUPERSEDED = "docs_superseded";
  public static final String REJECTED = "docs_rejected";
  public static final String RETRIES = "bulk_retries";

  private final SearchSettings settings;

  private SearchIndexWrite(SearchSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Writes to the index of {@code settings}. */
  public static SearchIndexWrite to(SearchSettings settings) {
    return new SearchIndexWrite(settings);
  }

  public SearchSettings settings() {
    return settings;
  }

  /** The same write, giving its dead letters as well. */
  public WithResult withResult() {
    return new WithResult(settings);
  }

  @Override
  public PCollection<Void> expand(PCollection<SearchDoc> input) {
    return input.apply("WithResult", withResult()).done();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    display(settings, builder);
  }

  private static void display(SearchSettings settings, DisplayData.Builder builder) {
    builder
        .add(DisplayData.item("url", settings.url()))
        .add(DisplayData.item("index", settings.index()))
        .add(DisplayData.item("bulkSize", settings.bulkSize()))
        .add(DisplayData.item("maxRetryDuration", settings.maxRetryDuration().toString()));
    if (settings.user() != null) {
      builder.add(DisplayData.item("user", settings.user()));
    }
  }

  /** {@link SearchIndexWrite} with its dead letters as outputs. */
  public static final class WithResult extends PTransform<PCollection<SearchDoc>, Result> {
    private final SearchSettings settings;

    private WithResult(SearchSettings settings) {
      this.settings = settings;
    }

    @Override
    public Result expand(PCollection<SearchDoc> input) {
      TupleTag<Void> done = new TupleTag<Void>() {};
      TupleTag<String> rejected = new TupleTag<String>() {};
      TupleTag<BadRecord> deadLetters = new TupleTag<BadRecord>() {};
      PCollectionTuple out =
          input.apply(
              "BulkIndex",
              ParDo.of(new WriteFn(settings, rejected, deadLetters))
                  .withOutputTags(done, TupleTagList.of(rejected).and(deadLetters)));
      out.get(rejected).setCoder(StringUtf8Coder.of());
      out.get(deadLetters).setCoder(BadRecord.BadRecordCoder.of());
      return new Result(input.getPipeline(), out.get(done), out.get(rejected), out.get(deadLetters), done, rejected, deadLetters);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      display(settings, builder);
    }
  }

  /**
   * The outputs: {@link #done} (no elements, to wait on), {@link #rejected} (one JSON line per
   * refused document) and {@link #deadLetters} (the same refusals as the project's {@link
   * BadRecord}s, to flatten with the other dead letters of a job).
   */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<Void> done;
    private final PCollection<String> rejected;
    private final PCollection<BadRecord> deadLetters;
    private final TupleTag<Void> doneTag;
    private final TupleTag<String> rejectedTag;
    private final TupleTag<BadRecord> deadLetterTag;

    private Result(
        Pipeline pipeline,
        PCollection<Void> done,
        PCollection<String> rejected,
        PCollection<BadRecord> deadLetters,
        TupleTag<Void> doneTag,
        TupleTag<String> rejectedTag,
        TupleTag<BadRecord> deadLetterTag) {
      this.pipeline = pipeline;
      this.done = done;
      this.rejected = rejected;
      this.deadLetters = deadLetters;
      this.doneTag = doneTag;
      this.rejectedTag = rejectedTag;
      this.deadLetterTag = deadLetterTag;
    }

    /** No elements; complete (per window) once the writes before it are done. */
    public PCollection<Void> done() {
      return done;
    }

    /**
     * One JSON object per document the index refused: {@code {"index":..,"id":..,"version":..,
     * "status":..,"error_type":..,"reason":..,"raw":..,"origin":..}}, where {@code status} is the
     * item's HTTP status (0: not sent, the source is not a JSON object), {@code reason} is {@code
     * status N type: reason (caused by type: reason)} as the node said it, {@code raw} the source
     * (cut and masked as a {@link BadRecord}'s) and {@code origin} {@code index/id}.
     */
    public PCollection<String> rejected() {
      return rejected;
    }

    /** The refused documents as {@link BadRecord}s: raw = the source, origin = {@code index/id}, reason as in {@link #rejected}. */
    public PCollection<BadRecord> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      Map<TupleTag<?>, PValue> m = new LinkedHashMap<>();
      m.put(doneTag, done);
      m.put(rejectedTag, rejected);
      m.put(deadLetterTag, deadLetters);
      return m;
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  /** The dead-letter line of {@link Result#rejected} and the {@link BadRecord} of a refusal. */
  static BadRecord deadLetter(String index, BulkWriter.Rejection r) {
    return BadRecord.of(r.doc().json(), index + "/" + r.doc().id(), r.reason());
  }

  static String rejectedLine(String index, BulkWriter.Rejection r, BadRecord b) {
    return new JsonWriter(b.raw().length() + 256)
        .field("index", index)
        .field("id", r.doc().id())
        .field("version", r.doc().version())
        .field("status", r.status())
        .field("error_type", r.type())
        .field("reason", b.reason())
        .field("raw", b.raw())
        .field("origin", b.origin())
        .end();
  }

  /** Collects a bundle's documents into batches and sends them. */
  static final class WriteFn extends DoFn<SearchDoc, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexWrite.class);

    private final SearchSettings settings;
    private final TupleTag<String> rejectedTag;
    private final TupleTag<BadRecord> deadLetterTag;

    private final Counter written = Metrics.counter(NAMESPACE, WRITTEN);
    private final Counter superseded = Metrics.counter(NAMESPACE, SUPERSEDED);
    private final Counter rejectedCount = Metrics.counter(NAMESPACE, REJECTED);
    private final Counter retries = Metrics.counter(NAMESPACE, RETRIES);

    private transient BulkWriter writer;
    /** The batch: per id the document of the highest version, with its window, timestamp and pane. */
    private transient Map<String, Pending> batch;
    private transient long oldestNanos;

    WriteFn(SearchSettings settings, TupleTag<String> rejectedTag, TupleTag<BadRecord> deadLetterTag) {
      this.settings = settings;
      this.rejectedTag = rejectedTag;
      this.deadLetterTag = deadLetterTag;
    }

    private record Pending(SearchDoc doc, Instant timestamp, BoundedWindow window, PaneInfo pane) {}

    /** Where a flush sends its dead letters: the element's receiver, or the bundle's end. */
    private interface Sink {
      void emit(Pending p, String line, BadRecord letter);
    }

    @Setup
    public void setup() {
      HttpClient client = SearchHttp.client(settings);
      writer = new BulkWriter(settings, client, settings.authorization(), retries::inc);
      batch = new LinkedHashMap<>();
    }

    @StartBundle
    public void startBundle() {
      batch.clear();
    }

    @ProcessElement
    public void process(
        @Element SearchDoc doc,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        PaneInfo pane,
        MultiOutputReceiver out)
        throws IOException, InterruptedException {
      if (batch.isEmpty()) {
        oldestNanos = System.nanoTime();
      }
      Pending kept = batch.get(doc.id());
      if (kept == null || doc.version() >= kept.doc().version()) {
        batch.put(doc.id(), new Pending(doc, timestamp, window, pane));
        if (kept != null) {
          superseded.inc();
        }
      } else {
        superseded.inc();
      }
      boolean full = batch.size() >= settings.bulkSize();
      boolean old = System.nanoTime() - oldestNanos >= settings.flushInterval().getMillis() * 1_000_000L;
      if (full || old) {
        flush(
            (p, line, letter) -> {
              out.get(rejectedTag).outputWindowedValue(line, p.timestamp(), List.of(p.window()), p.pane());
              out.get(deadLetterTag).outputWindowedValue(letter, p.timestamp(), List.of(p.window()), p.pane());
            });
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws IOException, InterruptedException {
      flush(
          (p, line, letter) -> {
            c.output(rejectedTag, line, p.timestamp(), p.window());
            c.output(deadLetterTag, letter, p.timestamp(), p.window());
          });
    }

    private void flush(Sink sink) throws IOException, InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      List<SearchDoc> docs = new ArrayList<>(batch.size());
      for (Pending p : batch.values()) {
        docs.add(p.doc());
      }
      BulkWriter.Outcome outcome = writer.write(docs);
      written.inc(outcome.written().size());
      superseded.inc(outcome.superseded().size());
      rejectedCount.inc(outcome.rejected().size());
      for (BulkWriter.Rejection r : outcome.rejected()) {
        BadRecord letter = deadLetter(settings.index(), r);
        LOG.warn("index {} refused document {}: {}", settings.index(), r.doc().id(), letter.reason());
        sink.emit(batch.get(r.doc().id()), rejectedLine(settings.index(), r, letter), letter);
      }
      batch.clear();
    }
  }
}
