package dev.stallwatch.runners;

import dev.stallwatch.bench.Bench;
import dev.stallwatch.pipeline.StallWatch;

/** The bundled jar's entry point: the pipeline's commands, plus {@code bench}, which needs both runners. */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(new StallWatch(System.out, System.err).with("bench", new Bench()).run(args));
  }
}
