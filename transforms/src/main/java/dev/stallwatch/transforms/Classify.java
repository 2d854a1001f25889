package dev.stallwatch.transforms;

import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.StepCatalog;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Gives each event its step class from the catalog (SPEC §2–3): a class, UNKNOWN or TERMINAL. */
public final class Classify extends PTransform<PCollection<Event>, PCollection<Event>> {
  private final StepCatalog catalog;

  private Classify(StepCatalog catalog) {
    this.catalog = catalog;
  }

  public static Classify with(StepCatalog catalog) {
    return new Classify(catalog);
  }

  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    return events
        .apply("ByCatalog", ParDo.of(new ClassifyFn(catalog)))
        .setCoder(Event.EventCoder.of());
  }

  private static final class ClassifyFn extends DoFn<Event, Event> {
    private final StepCatalog catalog;

    ClassifyFn(StepCatalog catalog) {
      this.catalog = catalog;
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<Event> out) {
      out.output(e.withStepClass(catalog.classify(e)));
    }
  }
}
