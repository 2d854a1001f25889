package dev.stallwatch.bench;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code stallwatch bench}. */
public interface BenchOptions extends PipelineOptions {
  @Description("Rows of the generated dump (about 7 per applicant, over --days days)")
  @Default.Integer(2_000_000)
  int getEvents();

  void setEvents(int value);

  @Description("Seed of the generated dump: the same seed gives the same rows")
  @Default.Long(1)
  long getSeed();

  void setSeed(long value);

  @Description("Days the generated journeys spread over (the same option as generate's)")
  @Default.Integer(2)
  int getDays();

  void setDays(int value);

  @Description(
      "Parallelism of the Flink jobs (StallWatch and the Flink SQL peer) and of Spark's local[N]; 0 means"
          + " every core")
  @Default.Integer(0)
  int getWorkers();

  void setWorkers(int value);

  @Description("Which contenders run, in this order: any of direct, flink, flink-windows, model, spark, sql")
  @Default.String("model,flink,flink-windows,spark,sql,direct")
  String getContenders();

  void setContenders(String value);

  @Description(
      "About how many rows the direct runner gets (whole journeys of a share of the applicants): it"
          + " is a test runner, some hundred times slower than Flink, so it is timed on a slice; 0"
          + " means all rows")
  @Default.Integer(20_000)
  int getDirectEvents();

  void setDirectEvents(int value);

  @Description("Directory for the dump, each contender's output and log, and bench.csv / bench.json")
  @Default.String("target/bench")
  String getResults();

  void setResults(String value);
}
