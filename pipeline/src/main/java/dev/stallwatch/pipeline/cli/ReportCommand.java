package dev.stallwatch.pipeline.cli;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.files.DimensionFiles;
import dev.stallwatch.pipeline.files.DumpFiles;
import dev.stallwatch.pipeline.files.OutputDirectory;
import dev.stallwatch.pipeline.options.ReportOptions;
import dev.stallwatch.pipeline.report.ReportJob;
import dev.stallwatch.pipeline.report.ReportTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code stallwatch report}: where applicants stall, from a dump, with an optional what-if. */
final class ReportCommand extends StallWatch.OwnCommand {
  ReportCommand(StallWatch cli) {
    super(cli, "report");
  }

  @Override
  public String summary() {
    return "the funnel report of a dump: tables (CSV, JSON) and report.html; --compare=CONFIG for a what-if";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return ReportOptions.class;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    ReportOptions options = parse(args, ReportOptions.class, List.of()).options();
    check(options);
    StallConfig config = JobConfig.from(options).stall();
    StallConfig other = null;
    if (options.getCompare() != null) {
      other = JobConfig.load("--compare", options.getCompare(), options.getTimeZone()).stall();
      if (!other.zone().equals(config.zone())) {
        throw new UsageException("--compare: its time zone " + other.zoneId() + " is not the current config's "
            + config.zoneId() + "; a comparison reads the dump once, in one zone");
      }
    }
    List<Path> dumps = DumpFiles.check(options.getInput());
    Blacklist blacklist = DimensionFiles.blacklist(options);
    ChannelNames channels = DimensionFiles.channels(options);
    int removed = OutputDirectory.prepare(options.getOutput(), options.getInput(), dumps, OutputDirectory.REPORT);
    if (removed > 0) {
      err.printf("stallwatch report: replaced %d file(s) of an earlier report in %s%n", removed, options.getOutput());
    }
    options.setJobName("stallwatch-report");
    String runner = options.getRunner().getSimpleName();
    err.printf("stallwatch report: %d file(s) on %s, output %s%n", dumps.size(), runner, options.getOutput());
    ReportJob.Labels labels = new ReportJob.Labels(
        options.getInput(),
        options.getConfig() == null ? "the default rules" : Path.of(options.getConfig()).getFileName().toString(),
        options.getCompare() == null ? null : Path.of(options.getCompare()).getFileName().toString());
    long start = System.nanoTime();
    try (Progress progress =
        options.getQuiet() ? null : Progress.start("report", err, Progress.totalBytes(dumps), Progress.elsewhere(args))) {
      ReportJob.create(options, config, other, blacklist, channels, labels).run().waitUntilFinish();
      OutputDirectory.removeEmptyTemp(options.getOutput());
    } catch (Exception e) { // Spark's (Scala's) checked exceptions escape undeclared
      err.println("stallwatch report: the job failed: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Path dir = Path.of(options.getOutput());
    out.printf("StallWatch report finished in %.1f s on %s%n", seconds, runner);
    try {
      out.print(funnel(Files.readAllLines(dir.resolve("steps.csv"))));
    } catch (IOException e) {
      // on a cluster the files may not be on this machine: the paths below still say where they are
    }
    out.printf("  %-12s %s%n", "page", dir.resolve("report.html"));
    out.printf("  %-12s %s%n", "tables", dir.resolve(other == null ? "{steps,alerts,suppressed,summary}.{csv,json}"
        : "{steps,alerts,suppressed,summary,compare}.{csv,json}"));
    return StallWatch.OK;
  }

  /** The funnel in a few lines: each step's applicants, and of them those who stalled and submitted. */
  private static String funnel(List<String> stepsCsv) {
    StringBuilder sb = new StringBuilder(String.format("  %-20s %9s %9s %9s %12s%n", "step", "reached", "stalled", "submitted", "median time"));
    List<String> columns = ReportTables.STEP_COLUMNS;
    for (String line : stepsCsv.subList(Math.min(1, stepsCsv.size()), stepsCsv.size())) {
      List<String> c = dev.stallwatch.text.CsvLine.split(line);
      if (!c.get(columns.indexOf("dimension")).equals("all")) {
        break; // the rows of dimension "all" come first
      }
      String seconds = c.get(columns.indexOf("median_seconds"));
      String median = seconds.isEmpty() ? "-" : String.format("%.1f min", Long.parseLong(seconds) / 60.0);
      sb.append(String.format("  %-20s %9s %9s %9s %12s%n", c.get(columns.indexOf("step_class")),
          c.get(columns.indexOf("reached")), c.get(columns.indexOf("stalled")), c.get(columns.indexOf("submitted")), median));
    }
    return sb.toString();
  }
}
