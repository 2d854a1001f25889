package dev.stallwatch.pipeline.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a numeric option takes, both ends included; the command line refuses any other (and
 * NaN and the infinities) before the job is built, as one line {@code --name: must be between MIN
 * and MAX[ unit], not VALUE}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Range {
  double min();

  double max();

  /** The unit named after the bounds, e.g. {@code seconds}; empty for none. */
  String unit() default "";
}
