package dev.stallwatch.pipeline;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Flink runner's state backend options, under the names its own options use, so that the
 * embedded default can keep checkpoints in a directory it measures without this module depending
 * on the runner. Other runners ignore them.
 */
public interface CheckpointStorageOptions extends PipelineOptions {
  String getStateBackend();

  void setStateBackend(String value);

  String getStateBackendStoragePath();

  void setStateBackendStoragePath(String value);
}
