package dev.stallwatch.pipeline.stall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.BackfillOptions;
import dev.stallwatch.pipeline.options.RunOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.api.Test;
import org.joda.time.Duration;

/**
 * Beam step names are Flink operator ids, and a savepoint maps its state to them: the names and
 * nesting of the backfill graph and of both shapes of the streaming graph, and the coder of every
 * collection between them, are held to a committed list ({@code step-names.txt}). A rename fails
 * here until the list is changed with it, on purpose. To write the list anew after a deliberate
 * change, run this test with {@code -Dstallwatch.writeStepNames=PATH}.
 */
class StepNamesTest {
  private static final String LIST = "step-names.txt";

  @Test
  void stepNamesAndCodersAreTheCommittedOnes() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# backfill");
    lines.addAll(hierarchy(backfill("sorted")));
    lines.add("# backfill --engine=windows");
    lines.addAll(hierarchy(backfill("windows")));
    lines.add("# streaming: database dimensions, audit table, exactly-once topics");
    lines.addAll(hierarchy(streaming(true)));
    lines.add("# streaming: dimension files, no database, at-least-once topics");
    lines.addAll(hierarchy(streaming(false)));
    String actual = String.join("\n", lines) + "\n";

    String target = System.getProperty("stallwatch.writeStepNames");
    if (target != null) {
      Files.writeString(Path.of(target), actual, StandardCharsets.UTF_8);
    }
    String committed;
    try (InputStream in = StepNamesTest.class.getResourceAsStream(LIST)) {
      committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(committed, actual, "the graphs' step names or coders changed; see " + LIST);
  }

  private static Pipeline backfill(String engine) {
    BackfillOptions options = PipelineOptionsFactory.as(BackfillOptions.class);
    options.setEngine(engine);
    options.setInput("/nonexistent/dump-*.csv");
    options.setOutput("/nonexistent/out");
    return BackfillJob.create(options, StallConfig.defaults(), Blacklist.empty(), ChannelNames.empty());
  }

  private static Pipeline streaming(boolean database) {
    RunOptions options = PipelineOptionsFactory.as(RunOptions.class);
    options.setBootstrapServers("localhost:9");
    options.setMaxOutOfOrderness(30);
    options.setIdleAfter(10);
    options.setExactlyOnce(database);
    JobConfig config = JobConfig.defaults();
    IoNames names = config.names();
    StreamingJob.Io io = new StreamingJob.Io("localhost:9", names, Map.of(), SimulatedClock.system());
    if (database) {
      JdbcSettings jdbc = JdbcSettings.builder("jdbc:h2:mem:steps;MODE=Oracle").user("sa").build();
      return StreamingJob.create(
          options,
          config,
          io,
          StreamingJob.refreshed(jdbc, names, Duration.standardMinutes(10)),
          AuditTable.of(jdbc).withTable(names.auditTable()));
    }
    return StreamingJob.create(
        options, config, io, p -> StallGraph.Dimensions.fixed(p, Blacklist.empty(), ChannelNames.empty()), null);
  }

  /** Every transform's full name, indented by nesting, with the coders of what it outputs. */
  private static List<String> hierarchy(Pipeline pipeline) {
    List<String> lines = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          private int depth;

          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              add(node);
              depth++;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void leaveCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              depth--;
            }
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            add(node);
          }

          private void add(TransformHierarchy.Node node) {
            StringBuilder line = new StringBuilder("  ".repeat(depth)).append(node.getFullName());
            for (PValue output : node.getOutputs().values()) {
              if (output instanceof PCollection) {
                line.append(" -> ").append(coder(((PCollection<?>) output).getCoder()));
              }
            }
            lines.add(line.toString());
          }
        });
    return lines;
  }

  private static String coder(Coder<?> coder) {
    List<? extends Coder<?>> parts = coder.getCoderArguments();
    String name = coder.getClass().getName();
    if (parts == null || parts.isEmpty()) {
      return name;
    }
    List<String> inner = new ArrayList<>();
    parts.forEach(p -> inner.add(coder(p)));
    return name + "(" + String.join(", ", inner) + ")";
  }
}
