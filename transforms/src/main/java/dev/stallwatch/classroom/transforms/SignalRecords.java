package dev.stallwatch.classroom.transforms;

import dev.stallwatch.classroom.domain.Signal;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * C1's output records for {@code timeline_analysis_student}: key = the input record's key (null
 * when it had none), value = the signal's flat JSON ({@link Signal#toJson()}). Timestamps stay the
 * signals' event times.
 */
public final class SignalRecords extends PTransform<PCollection<Signal>, PCollection<KV<String, String>>> {
  private SignalRecords() {}

  public static SignalRecords create() {
    return new SignalRecords();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<Signal> signals) {
    return signals
        .apply(
            "ToRecord",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Signal s) -> KV.of(s.key(), s.toJson())))
        .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
  }
}
