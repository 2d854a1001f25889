package dev.stallwatch.runners;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.client.cli.DefaultCLI;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink session cluster in this JVM (a {@link MiniCluster} with its REST endpoint on a free
 * port) that jobs are submitted to as to any remote cluster, with Beam's {@code
 * --flinkMaster=host:port}; the test holds the cluster itself to lose task managers, stop jobs with
 * a savepoint and watch jobs recover.
 *
 * <p>The job classes are already on this JVM's class path, so a submission stages one empty jar and
 * the cluster loads user code parent-first: the job runs the very classes the test sees.
 */
final class FlinkSession implements AutoCloseable {
  private final MiniCluster cluster;
  private final URI rest;
  private final Path stagedJar;
  /** Index (in the order of start) of the task manager that runs now; the cluster keeps one. */
  private int liveTaskManager;

  private FlinkSession(MiniCluster cluster, URI rest, Path stagedJar) {
    this.cluster = cluster;
    this.rest = rest;
    this.stagedJar = stagedJar;
  }

  /** Starts a cluster of one task manager with {@code slots} slots. */
  static FlinkSession start(int slots, Path workDir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("32m"));
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .withRandomPorts()
                .build());
    cluster.start();
    Path jar = workDir.resolve("staged-nothing.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // an empty jar: every class the job needs is on the cluster's (parent) class path
    }
    return new FlinkSession(cluster, cluster.getRestAddress().get(30, TimeUnit.SECONDS), jar);
  }

  /** Beam's {@code --flinkMaster} value for this cluster. */
  String master() {
    return rest.getHost() + ":" + rest.getPort();
  }

  int restPort() {
    return rest.getPort();
  }

  /** Beam's {@code --filesToStage} value: a jar with nothing in it. */
  String filesToStage() {
    return stagedJar.toString();
  }

  /** Every job the cluster knows, finished or not. */
  Set<JobID> jobs() throws Exception {
    Set<JobID> ids = new HashSet<>();
    for (JobStatusMessage m : cluster.listJobs().get(30, TimeUnit.SECONDS)) {
      ids.add(m.getJobId());
    }
    return ids;
  }

  /** Waits for a job that is not among {@code known} and not finished; answers its id. */
  JobID awaitNewJob(Set<JobID> known, long timeoutMillis) throws Exception {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      Collection<JobStatusMessage> jobs = cluster.listJobs().get(30, TimeUnit.SECONDS);
      for (JobStatusMessage m : jobs) {
        if (!known.contains(m.getJobId()) && !m.getJobState().isGloballyTerminalState()) {
          return m.getJobId();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no new job within " + timeoutMillis + " ms");
  }

  AccessExecutionGraph graph(JobID job) throws Exception {
    return cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
  }

  JobStatus status(JobID job) throws Exception {
    return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
  }

  /** The job's latest failure, if it had one. */
  ErrorInfo lastFailure(JobID job) throws Exception {
    return graph(job).getFailureInfo();
  }

  /**
   * Waits until {@code job} runs with every task running (or finished, as Beam's one-shot
   * sources do) and has completed a checkpoint triggered after {@code sinceMillis}: it has
   * recovered from whatever happened before then and made progress. Answers the wall time that
   * took, in milliseconds from {@code sinceMillis}.
   */
  long awaitHealthy(JobID job, long sinceMillis, long timeoutMillis) throws Exception {
    long until = System.currentTimeMillis() + timeoutMillis;
    String last = "";
    while (System.currentTimeMillis() < until) {
      AccessExecutionGraph g = graph(job);
      if (g.getState().isGloballyTerminalState()) {
        throw new AssertionError(
            "job " + job + " ended " + g.getState() + ": " + (g.getFailureInfo() == null ? "" : g.getFailureInfo().getExceptionAsString()));
      }
      boolean running = g.getState() == JobStatus.RUNNING;
      for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
        ExecutionState s = v.getExecutionState();
        if (s != ExecutionState.RUNNING && s != ExecutionState.FINISHED) {
          running = false;
          last = v.getTaskNameWithSubtaskIndex() + " is " + s;
          break;
        }
      }
      CompletedCheckpointStats latest = g.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
      if (running && latest != null && latest.getTriggerTimestamp() > sinceMillis) {
        return System.currentTimeMillis() - sinceMillis;
      }
      if (running) {
        last = "no checkpoint completed yet";
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job + " did not recover within " + timeoutMillis + " ms: " + last);
  }

  /**
   * Waits until {@code job} runs again with every task running (or finished), without asking for
   * a checkpoint: while the database is down no checkpoint can complete. Tasks whose name starts
   * with {@code waitingPrefix} may still be initializing: a restored task that writes to the
   * database flushes its restored buffer while it initializes, and so waits there for the database.
   */
  void awaitRunning(JobID job, String waitingPrefix, long timeoutMillis) throws Exception {
    long until = System.currentTimeMillis() + timeoutMillis;
    String last = "";
    while (System.currentTimeMillis() < until) {
      AccessExecutionGraph g = graph(job);
      boolean running = g.getState() == JobStatus.RUNNING;
      last = "job " + g.getState();
      for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
        ExecutionState s = v.getExecutionState();
        boolean waiting = s == ExecutionState.INITIALIZING && v.getTaskNameWithSubtaskIndex().startsWith(waitingPrefix);
        if (s != ExecutionState.RUNNING && s != ExecutionState.FINISHED && !waiting) {
          running = false;
          last += "; " + v.getTaskNameWithSubtaskIndex() + " is " + s;
        }
      }
      if (running) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job + " did not run again within " + timeoutMillis + " ms: " + last);
  }

  /** Terminates the task manager that runs the job's tasks and starts a new one in its place. */
  void replaceTaskManager() throws Exception {
    cluster.terminateTaskManager(liveTaskManager).get(60, TimeUnit.SECONDS);
    cluster.startTaskManager();
    liveTaskManager++;
  }

  /**
   * Stops {@code job} with a savepoint in {@code directory} the way an operator does, with Flink's
   * command line: {@code flink stop --savepointPath DIR -m HOST:PORT JOB_ID}, without {@code
   * --drain} (no end-of-time watermark: open sessions stay open in the savepoint). Answers the
   * savepoint's path.
   */
  String stopWithSavepoint(JobID job, Path directory) throws Exception {
    Files.createDirectories(directory);
    Set<Path> before = savepoints(directory);
    // the command line of a standalone session cluster (the YARN one is not on this class path);
    // its stop action is called directly so that a failure keeps its cause for the report
    String[] args = {"stop", "--savepointPath", directory.toUri().toString(), "-m", master(), job.toString()};
    try {
      new StopCommand().stop(Arrays.copyOfRange(args, 1, args.length));
    } catch (Exception e) {
      throw new AssertionError("flink " + String.join(" ", args) + " failed", e);
    }
    long until = System.currentTimeMillis() + 60_000;
    while (!status(job).isGloballyTerminalState()) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("job " + job + " did not end after its savepoint");
      }
      Thread.sleep(100);
    }
    Set<Path> made = savepoints(directory);
    made.removeAll(before);
    if (made.size() != 1) {
      throw new AssertionError("flink stop made " + made.size() + " savepoints in " + directory);
    }
    return made.iterator().next().toUri().toString();
  }

  /** Flink's command line, with its {@code stop} action callable from here. */
  private static final class StopCommand extends CliFrontend {
    StopCommand() {
      super(new Configuration(), List.of(new DefaultCLI()));
    }

    @Override
    protected void stop(String[] args) throws Exception {
      super.stop(args);
    }
  }

  private static Set<Path> savepoints(Path directory) throws IOException {
    Set<Path> found = new HashSet<>();
    try (java.util.stream.Stream<Path> list = Files.list(directory)) {
      list.filter(p -> p.getFileName().toString().startsWith("savepoint-")).forEach(found::add);
    }
    return found;
  }

  void cancel(JobID job) throws Exception {
    if (!status(job).isGloballyTerminalState()) {
      cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
    try {
      Files.deleteIfExists(stagedJar);
    } catch (IOException e) {
      // left in a temporary directory
    }
  }
}
