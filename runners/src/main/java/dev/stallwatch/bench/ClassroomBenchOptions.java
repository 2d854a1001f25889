package dev.stallwatch.bench;

import dev.stallwatch.pipeline.options.Placeholder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code stallwatch classroom bench}. */
@Description("Classroom benchmark")
public interface ClassroomBenchOptions extends PipelineOptions {
  @Description(
      "About how many student classroom signals the generated dump holds (its other topics scale"
          + " with it); 0 = 1,000,000. (The default is 0 because classroom generate's --signals has that"
          + " default, and Beam wants one default per option name in a JVM.)")
  @Default.Long(0)
  @Placeholder("N")
  long getSignals();

  void setSignals(long value);

  @Description("Seed of the generated dump")
  @Default.Long(1)
  @Placeholder("SEED")
  long getSeed();

  void setSeed(long value);

  @Description("Cores each runner may use; 0 = all of this machine's")
  @Default.Integer(0)
  @Placeholder("N")
  int getWorkers();

  void setWorkers(int value);

  @Description("Contenders, comma-separated, run in this order: model (the models in plain Java), flink, direct")
  @Default.String("model,flink")
  @Placeholder("LIST")
  String getContenders();

  void setContenders(String value);

  @Description("Directory for the dump, each contender's output and log, and bench.json")
  @Default.String("target/classroom-bench")
  @Placeholder("DIR")
  String getResults();

  void setResults(String value);
}
