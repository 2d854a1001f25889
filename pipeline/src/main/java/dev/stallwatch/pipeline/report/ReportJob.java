package dev.stallwatch.pipeline.report;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.pipeline.files.ReadDump;
import dev.stallwatch.pipeline.options.ReportOptions;
import dev.stallwatch.report.FunnelTally;
import dev.stallwatch.transforms.FunnelReport;
import dev.stallwatch.transforms.ParseRows;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code stallwatch report}'s job: the dump read and parsed as a backfill reads it, the batch
 * engine's pass with the funnel observer ({@link FunnelReport}), one tally, and from it the tables
 * (CSV and JSON) and the page, written as files of fixed names by the runner's own file sink, so
 * the same job runs on any runner; dead letters as the backfill writes them.
 */
public final class ReportJob {
  private ReportJob() {}

  /** What the report is called in its page: the dump, and the config files' names. */
  public record Labels(String input, String current, String other) implements Serializable {}

  /** The whole job: read, pass, tally, write. {@code other} null: no comparison. */
  public static Pipeline create(
      ReportOptions options, StallConfig config, StallConfig other, Blacklist blacklist, ChannelNames channels,
      Labels labels) {
    Pipeline pipeline = Pipeline.create(options);
    FunnelReport report =
        FunnelReport.of(config).withBlacklist(blacklist).withChannels(channels).withKeyBuckets(options.getKeyBuckets());
    if (other != null) {
      report = report.withComparison(other);
    }
    PCollectionTuple outputs =
        pipeline
            .apply("ReadDump", ReadDump.records(options.getInput()))
            .apply("ParseRows", ParseRows.records(config.zone()))
            .apply("FunnelReport", report);
    String dir = options.getOutput().endsWith("/") ? options.getOutput() : options.getOutput() + "/";
    outputs
        .get(FunnelReport.tally())
        .apply("RenderReport", ParDo.of(new Render(new ReportTables(config, other, channels), labels)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            "WriteReport",
            FileIO.<String, KV<String, String>>writeDynamic()
                .by(KV::getKey)
                .withDestinationCoder(StringUtf8Coder.of())
                .via(Contextful.fn(KV::getValue), new WholeFile())
                .to(dir)
                .withNumShards(1)
                .withNaming(name -> (window, pane, shards, shard, compression) -> name));
    outputs
        .get(FunnelReport.deadLetters())
        .apply("DeadLetterJson", MapElements.into(TypeDescriptors.strings()).via((StallRecord r) -> r.deadLetter().toJson()))
        .apply("WriteDeadLetters", TextIO.write().to(dir + "dead-letter").withSuffix(".jsonl"));
    return pipeline;
  }

  /** The report's files from the one tally: each table as NAME.csv and NAME.json, and report.html. */
  private static final class Render extends DoFn<FunnelTally, KV<String, String>> {
    private final ReportTables tables;
    private final Labels labels;

    Render(ReportTables tables, Labels labels) {
      this.tables = tables;
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element FunnelTally tally, OutputReceiver<KV<String, String>> out) {
      List<ReportTable> all = tables.of(tally);
      for (ReportTable t : all) {
        out.output(KV.of(t.name() + ".csv", t.toCsv()));
        out.output(KV.of(t.name() + ".json", t.toJson()));
      }
      out.output(KV.of("report.html", ReportHtml.render(title(labels), all, labels.current(), labels.other())));
    }

    private static String title(Labels l) {
      String title = "Where applicants stall: " + l.input() + " under " + l.current();
      return l.other() == null ? title : title + ", compared with " + l.other();
    }
  }

  /** A sink that writes each element's text as it is: one element, one whole file. */
  private static final class WholeFile implements FileIO.Sink<String> {
    private transient WritableByteChannel channel;

    @Override
    public void open(WritableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(String element) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(element.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    @Override
    public void flush() {}
  }
}
