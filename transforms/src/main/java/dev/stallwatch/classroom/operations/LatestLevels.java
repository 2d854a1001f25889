package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.domain.LevelEntry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * C2 (CLASSROOM.md): of each id's dictionary rows, only those newer (by {@code update_time}, then
 * arrival) than every row of the id before them go on to {@code channel_name_dictionary}; an older
 * update arriving later is dropped here (the article's plain insert let it overwrite the newer
 * row), and the sink's conditional upsert on {@code update_time} keeps the table right across
 * restores and replays too. Counter {@code c2.superseded}.
 */
public final class LatestLevels extends PTransform<PCollection<LevelEntry>, PCollection<LevelEntry>> {
  private LatestLevels() {}

  public static LatestLevels create() {
    return new LatestLevels();
  }

  @Override
  public PCollection<LevelEntry> expand(PCollection<LevelEntry> rows) {
    return rows.apply("ById", WithKeys.of((LevelEntry e) -> e.id()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LevelEntry.LevelEntryCoder.of()))
        .apply("Global", Window.<KV<String, LevelEntry>>into(new GlobalWindows()))
        .apply("Newer", ParDo.of(new NewerFn()))
        .setCoder(LevelEntry.LevelEntryCoder.of());
  }

  private static final class NewerFn extends DoFn<KV<String, LevelEntry>, LevelEntry> {
    private final org.apache.beam.sdk.metrics.Counter superseded =
        org.apache.beam.sdk.metrics.Metrics.counter(dev.stallwatch.classroom.transforms.ClassroomMetrics.NAMESPACE, "c2.superseded");

    @StateId("latest")
    private final StateSpec<ValueState<LevelEntry>> latestSpec = StateSpecs.value(LevelEntry.LevelEntryCoder.of());

    @ProcessElement
    public void process(@Element KV<String, LevelEntry> e, @StateId("latest") ValueState<LevelEntry> latest, OutputReceiver<LevelEntry> out) {
      LevelEntry kept = latest.read();
      if (!Registrations.newer(e.getValue(), kept)) {
        superseded.inc();
        return;
      }
      latest.write(e.getValue());
      out.output(e.getValue());
    }
  }
}
