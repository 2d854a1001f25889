package dev.stallwatch.pipeline.cli;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A default decided after parsing, in typed code, and shown by {@code --help} from the same
 * object: for {@code option}, when the command line does not give it and {@code when} holds of the
 * parsed options, {@code apply} sets it. An option that no StallWatch options interface declares
 * (a runner's, such as {@code --checkpointingInterval}) carries its own placeholder and description
 * for the help text.
 */
public record LaunchDefault(
    String option,
    String shown,
    Predicate<PipelineOptions> when,
    Consumer<PipelineOptions> apply,
    String placeholder,
    String description) {

  /** Sets {@code option} with {@code apply} unless given; {@code --help} shows {@code shown}. */
  public static LaunchDefault of(String option, String shown, Consumer<PipelineOptions> apply) {
    return new LaunchDefault(option, shown, o -> true, apply, null, null);
  }

  /**
   * An option whose default the runner itself decides ({@code shown}); nothing is set, the entry
   * only describes the option for {@code --help}.
   */
  public static LaunchDefault leftToRunner(String option, String shown, String valuePlaceholder, String text) {
    return new LaunchDefault(option, shown, o -> false, o -> {}, valuePlaceholder, text);
  }

  /** This default, applied only when {@code condition} holds of the parsed options. */
  public LaunchDefault when(Predicate<PipelineOptions> condition) {
    return new LaunchDefault(option, shown, condition, apply, placeholder, description);
  }

  /** This default with the help text of an option StallWatch's interfaces do not declare. */
  public LaunchDefault described(String valuePlaceholder, String text) {
    return new LaunchDefault(option, shown, when, apply, valuePlaceholder, text);
  }

  /** Applies this default to {@code options} unless {@code given} holds the option. */
  void applyTo(PipelineOptions options, Arguments given) {
    if (!given.has(option) && when.test(options)) {
      apply.accept(options);
    }
  }
}
