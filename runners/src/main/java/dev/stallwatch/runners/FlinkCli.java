package dev.stallwatch.runners;

import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What Flink's command line tells a program it runs ({@code flink run}). */
final class FlinkCli {
  private FlinkCli() {}

  /**
   * Whether this program was started by {@code flink run -d}: Flink's command line then hands
   * the program a context environment whose configuration says it is not attached.
   */
  static boolean detached() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    return env instanceof StreamContextEnvironment && !env.getConfiguration().get(DeploymentOptions.ATTACHED);
  }
}
