package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.pipeline.cli.UsageException;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBStateBackend;
import org.junit.jupiter.api.Test;

class IncrementalRocksDbTest {
  private static FlinkPipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(FlinkPipelineOptions.class);
  }

  @Test
  void rocksdbBecomesTheIncrementalBackend() {
    FlinkPipelineOptions o = options("--runner=FlinkRunner", "--stateBackend=rocksdb");
    IncrementalRocksDb.apply(o);
    assertNull(o.getStateBackend(), "Beam would build its full-checkpoint RocksDB from the name");
    assertEquals(IncrementalRocksDb.class, o.getStateBackendFactory());
    EmbeddedRocksDBStateBackend backend = (EmbeddedRocksDBStateBackend) new IncrementalRocksDb().createStateBackend(o);
    assertTrue(backend.isIncrementalCheckpointsEnabled());
  }

  @Test
  void withAStoragePathItsCheckpointsGoThere() {
    FlinkPipelineOptions o =
        options("--runner=FlinkRunner", "--stateBackend=RocksDB", "--stateBackendStoragePath=file:///tmp/stallwatch-chk");
    IncrementalRocksDb.apply(o);
    @SuppressWarnings("deprecation")
    RocksDBStateBackend backend = (RocksDBStateBackend) new IncrementalRocksDb().createStateBackend(o);
    assertTrue(backend.isIncrementalCheckpointsEnabled());
    org.apache.flink.runtime.state.StateBackend storage = backend.getCheckpointBackend();
    assertEquals("file:/tmp/stallwatch-chk", ((org.apache.flink.runtime.state.filesystem.FsStateBackend) storage).getCheckpointPath().toString());
  }

  @Test
  void otherBackendsAreLeftToBeamOrRefusedInOneLine() {
    FlinkPipelineOptions heap =
        options("--runner=FlinkRunner", "--stateBackend=filesystem", "--stateBackendStoragePath=file:///tmp/x");
    IncrementalRocksDb.apply(heap);
    assertEquals("filesystem", heap.getStateBackend());
    assertNull(heap.getStateBackendFactory());
    assertEquals(
        "--stateBackend: rocksdb (incremental checkpoints) or filesystem (the heap, full checkpoints), not 'memory'",
        assertThrows(UsageException.class, () -> IncrementalRocksDb.apply(options("--runner=FlinkRunner", "--stateBackend=memory")))
            .getMessage());
    assertEquals(
        "--stateBackend=filesystem needs --stateBackendStoragePath=URI, where its checkpoints go",
        assertThrows(UsageException.class, () -> IncrementalRocksDb.apply(options("--runner=FlinkRunner", "--stateBackend=filesystem")))
            .getMessage());
  }
}
