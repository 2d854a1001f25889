package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.files.ReadProgress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A long job's progress on standard error while it runs: bytes and records read of the input's
 * total, records per second, the time elapsed and an estimate of what remains. On a terminal one
 * line redrawn in place twice a second; otherwise a line every 10 seconds. The counts are this
 * JVM's readers' ({@link ReadProgress}): where the job reads elsewhere (a cluster) the command says
 * so once instead.
 */
final class Progress implements AutoCloseable {
  private final String command;
  private final PrintStream err;
  private final long totalBytes;
  private final boolean terminal;
  private final long everyMillis;
  private final LongSupplier clock;
  private final ReadProgress.Snapshot base;
  private final long started;
  private final Thread thread;
  private volatile boolean running = true;
  private boolean drawn;
  /** When the last byte was read (ms after the start), or -1 while reading. */
  private long readMillis = -1;
  /** The last time nothing had been read yet (ms after the start): the reading began after it. */
  private long idleMillis;

  private Progress(String command, PrintStream err, long totalBytes, boolean terminal, long everyMillis, LongSupplier clock) {
    this.command = command;
    this.err = err;
    this.totalBytes = totalBytes;
    this.terminal = terminal;
    this.everyMillis = everyMillis;
    this.clock = clock;
    this.base = ReadProgress.now();
    this.started = clock.getAsLong();
    this.thread = new Thread(this::loop, command + "-progress");
    this.thread.setDaemon(true);
  }

  /**
   * Starts showing progress of a job that reads {@code totalBytes}; {@code where} says why there is
   * none (a job on a cluster), null when this JVM reads.
   */
  static Progress start(String command, PrintStream err, long totalBytes, String where) {
    // the launcher says whether standard error is a terminal (Java sees only standard output's)
    boolean terminal = Boolean.getBoolean("stallwatch.terminal") || System.console() != null;
    return start(command, err, totalBytes, terminal, where, 10_000);
  }

  static Progress start(String command, PrintStream err, long totalBytes, boolean terminal, String where, long everyMillis) {
    Progress p = new Progress(command, err, totalBytes, terminal, terminal ? 500 : everyMillis, System::currentTimeMillis);
    if (where != null) {
      err.printf("stallwatch %s: no progress: %s%n", command, where);
      p.running = false;
      return p;
    }
    p.thread.start();
    return p;
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(everyMillis);
      } catch (InterruptedException e) {
        return;
      }
      if (!running) {
        return;
      }
      ReadProgress.Snapshot read = ReadProgress.now().since(base);
      long elapsed = clock.getAsLong() - started;
      if (read.bytes() == 0 && elapsed >= 30_000) {
        // nothing read here in half a minute: the job reads elsewhere (a cluster under `flink run`)
        show("stallwatch " + command + ": no progress: nothing is read in this process (the job runs elsewhere)");
        running = false;
        return;
      }
      show(line(read, elapsed));
    }
  }

  private synchronized void show(String line) {
    if (terminal) {
      err.print("\r" + line + "\u001b[K");
      drawn = true;
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** One progress line: what was read of the total, the rate, the time elapsed and left. */
  String line(ReadProgress.Snapshot read, long elapsedMillis) {
    boolean allRead = totalBytes > 0 && read.bytes() >= totalBytes;
    if (allRead && readMillis < 0) {
      readMillis = elapsedMillis;
    }
    double seconds = Math.max(elapsedMillis, 1) / 1000.0;
    // once all is read, the rate is the reading's, not diluted by the work after it
    double readSeconds = allRead ? Math.max(readMillis, 1) / 1000.0 : seconds;
    StringBuilder b = new StringBuilder("stallwatch ").append(command).append(": ");
    // a split's reader reads a little past its end to finish its last record: never "over 100%"
    b.append(megabytes(totalBytes > 0 ? Math.min(read.bytes(), totalBytes) : read.bytes()));
    if (totalBytes > 0) {
      b.append(" of ").append(megabytes(totalBytes))
          .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, read.bytes() * 100 / totalBytes)));
    }
    b.append(String.format(Locale.ROOT, ", %,d rows, %,.0f rows/s, %.0f s elapsed", read.records(), read.records() / readSeconds, seconds));
    if (read.bytes() == 0) {
      idleMillis = elapsedMillis;
    }
    if (totalBytes > 0 && read.bytes() > 0 && read.bytes() < totalBytes) {
      // at the rate since the reading began (the job's start-up left out)
      double reading = Math.max(elapsedMillis - idleMillis, 1) / 1000.0;
      double left = reading * (totalBytes - read.bytes()) / read.bytes();
      b.append(String.format(Locale.ROOT, ", about %.0f s of reading left", left));
    } else if (allRead) {
      b.append(String.format(Locale.ROOT, ", all read in %.0f s", readSeconds));
    }
    return b.toString();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** Stops; a redrawn line is ended so that what follows starts on a line of its own. */
  @Override
  public synchronized void close() {
    if (!running && !thread.isAlive()) {
      return;
    }
    running = false;
    thread.interrupt();
    if (drawn) {
      err.println();
    }
  }

  /** The bytes of {@code dumps}, what the progress counts towards. */
  static long totalBytes(List<Path> dumps) {
    long total = 0;
    for (Path p : dumps) {
      try {
        total += java.nio.file.Files.size(p);
      } catch (java.io.IOException e) {
        // not readable now: the job reports it; the total is then a lower bound
      }
    }
    return total;
  }

  /** Why this process cannot count the reading, from the command line; null when it can. */
  static String elsewhere(String[] args) {
    for (String a : args) {
      String value = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("--flinkMaster=") && !value.matches("\\[(auto|local|collection)\\]")) {
        return "the job runs on the Flink cluster at " + value + " (its dashboard counts the readers' records)";
      }
      if (a.startsWith("--sparkMaster=") && !value.startsWith("local")) {
        return "the job runs on the Spark cluster at " + value;
      }
    }
    return null;
  }
}
