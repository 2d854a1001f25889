package dev.stallwatch.runners;

import dev.stallwatch.pipeline.cli.UsageException;
import java.io.IOException;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkStateBackendFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBStateBackend;
import org.apache.flink.runtime.state.StateBackend;

/**
 * {@code --stateBackend=rocksdb} on Flink: the RocksDB state backend with incremental checkpoints,
 * so each checkpoint writes the state that changed since the last one rather than all of it (Beam
 * alone builds RocksDB with full checkpoints). The checkpoints go to {@code
 * --stateBackendStoragePath} when it is given, else where the cluster's {@code
 * state.checkpoints.dir} says. {@code --stateBackend=filesystem} stays Beam's: the heap backend
 * with full checkpoints to that path; without {@code --stateBackend}, the cluster's own default.
 */
public final class IncrementalRocksDb implements FlinkStateBackendFactory {
  @Override
  public StateBackend createStateBackend(FlinkPipelineOptions options) {
    String path = options.getStateBackendStoragePath();
    if (path == null) {
      return new EmbeddedRocksDBStateBackend(true);
    }
    try {
      // the one RocksDB backend that also takes where its checkpoints go
      @SuppressWarnings("deprecation")
      RocksDBStateBackend withStorage = new RocksDBStateBackend(path, true);
      return withStorage;
    } catch (IOException e) {
      throw new IllegalArgumentException("--stateBackendStoragePath=" + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The launch check of {@code run}: {@code --stateBackend=rocksdb} becomes this factory; an
   * unknown backend is a usage error here rather than a failure at submission.
   */
  static void apply(PipelineOptions o) {
    if (!RunnerDefaults.onFlink(o)) {
      return;
    }
    FlinkPipelineOptions flink = o.as(FlinkPipelineOptions.class);
    String backend = flink.getStateBackend();
    if (backend == null) {
      return;
    }
    if (backend.equalsIgnoreCase("rocksdb")) {
      flink.setStateBackend(null); // Beam builds the factory's backend only when no name is set
      flink.setStateBackendFactory(IncrementalRocksDb.class);
    } else if (!backend.equalsIgnoreCase("filesystem")) {
      throw new UsageException(
          "--stateBackend: rocksdb (incremental checkpoints) or filesystem (the heap, full checkpoints), not '"
              + backend + "'");
    } else if (flink.getStateBackendStoragePath() == null) {
      throw new UsageException("--stateBackend=filesystem needs --stateBackendStoragePath=URI, where its checkpoints go");
    }
  }
}
