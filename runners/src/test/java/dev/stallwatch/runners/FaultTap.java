package dev.stallwatch.runners;

import dev.stallwatch.pipeline.StreamingJob;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Puts a pass-through step after each of the streaming job's stages that throws when the test has
 * armed it: the test creates a file named after the stage in a directory both share, and the next
 * element to pass that stage deletes the file and fails its bundle. Exactly one element (on
 * whichever worker thread gets there first) takes each armed fault, since only one can delete the
 * file; a job restored after the failure finds the stage disarmed.
 */
final class FaultTap implements StreamingJob.Tap, Serializable {
  private static final long serialVersionUID = 1L;

  private final String directory;

  FaultTap(Path directory) {
    this.directory = directory.toString();
  }

  @Override
  public <T> PCollection<T> apply(String stage, PCollection<T> values) {
    return values
        .apply("InjectFaults-" + stage, ParDo.of(new FailWhenArmed<T>(directory, stage)))
        .setCoder(values.getCoder());
  }

  /** Arms {@code stage}: the next element there fails. */
  static void arm(Path directory, String stage) throws IOException {
    Files.writeString(directory.resolve(stage), "armed");
  }

  /** Whether an element took the fault armed at {@code stage}. */
  static boolean fired(Path directory, String stage) {
    return !Files.exists(directory.resolve(stage));
  }

  /** Takes back a fault that no element took; answers whether it was still armed. */
  static boolean disarm(Path directory, String stage) throws IOException {
    return Files.deleteIfExists(directory.resolve(stage));
  }

  /** Thrown by an armed stage. */
  static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFault(String message) {
      super(message);
    }
  }

  private static final class FailWhenArmed<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final String directory;
    private final String stage;

    FailWhenArmed(String directory, String stage) {
      this.directory = directory;
      this.stage = stage;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) throws IOException {
      if (Files.deleteIfExists(Path.of(directory, stage))) {
        throw new InjectedFault("fault injected by the test at stage '" + stage + "'");
      }
      out.output(element);
    }
  }
}
