package dev.stallwatch.embedded;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.SignalModel;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.kafka.ClassroomEventTime;
import dev.stallwatch.pipeline.kafka.EventTimePolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * What the classroom job must give for a replayed day: the models' results over the day's
 * messages, each with the stamp its source gives it. Each topic has one partition, so the source
 * reads it in the order it was sent and its stamps follow from that order alone: the watermark
 * trails the latest event time read by the topic's bound; a record too late for its job, or whose
 * time cannot be read, is stamped with the watermark, any other with its event time. That rule is
 * replayed here, apart from the source; the time is read as the source reads it. (The idle rule —
 * a silent partition's watermark follows the clock — is left out: the embedded run lets a
 * partition idle only after its last message, when nothing is left to stamp.)
 */
final class ClassroomExpected {
  final SignalModel.Result signals;
  final CourseModel.Result courses;
  final AvModel.Result av;
  final Map<String, Long> messages;

  private ClassroomExpected(SignalModel.Result signals, CourseModel.Result courses, AvModel.Result av, Map<String, Long> messages) {
    this.signals = signals;
    this.courses = courses;
    this.av = av;
    this.messages = messages;
  }

  /** The models over {@code generator}'s messages as the job reads them from {@code topics}. */
  static ClassroomExpected of(ClassroomGenerator generator, ClassroomConfig config, Map<String, String> topics) {
    Map<String, Stamper> stampers = new HashMap<>();
    stampers.put(ClassroomGenerator.SIGNALS_TOPIC, new Stamper(ClassroomEventTime.signals(config.signals())));
    stampers.put(ClassroomGenerator.QOS_TOPIC, new Stamper(ClassroomEventTime.qos(config.quality())));
    stampers.put(ClassroomGenerator.AV_TOPIC, new Stamper(ClassroomEventTime.av(config.quality())));
    Map<String, Long> offsets = new HashMap<>();
    List<SignalModel.Arrival> signals = new ArrayList<>();
    List<TimestampedValue<Message>> qos = new ArrayList<>();
    List<TimestampedValue<Message>> av = new ArrayList<>();
    for (ClassroomGenerator.Generated g : generator) {
      if (!ClassroomGenerator.TOPICS.contains(g.topic())) {
        continue; // C2's, C6's and C7's topics: CountsCheck
      }
      long offset = offsets.merge(g.topic(), 1L, Long::sum) - 1;
      Message m = g.message(topics.get(g.topic()) + "/0/" + offset);
      long stamp = stampers.get(g.topic()).stamp(g.json());
      switch (g.topic()) {
        case ClassroomGenerator.SIGNALS_TOPIC -> signals.add(new SignalModel.Arrival(m, stamp));
        case ClassroomGenerator.QOS_TOPIC -> qos.add(TimestampedValue.of(m, new Instant(stamp)));
        default -> av.add(TimestampedValue.of(m, new Instant(stamp)));
      }
    }
    return new ClassroomExpected(
        SignalModel.of(config.signals()).run(signals),
        CourseModel.of(config.quality()).run(qos),
        AvModel.of(config.quality()).run(av),
        offsets);
  }

  /** Every dead letter the job must write: C1's, C4's and C5's. */
  int deadLetters() {
    return signals.deadLetters.size() + courses.deadLetters.size() + av.deadLetters.size();
  }

  /** One partition's stamps, in the order its records are read. */
  private static final class Stamper {
    private final ClassroomEventTime time;
    private final long bound;
    private long maxEvent = Long.MIN_VALUE;
    private long watermark = org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();

    Stamper(ClassroomEventTime time) {
      this.time = time;
      this.bound = time.watermarkBound().getMillis();
    }

    long stamp(String json) {
      long event = time.reader().eventMillis(json.getBytes(StandardCharsets.UTF_8));
      if (event == EventTimePolicy.NO_TIME) {
        return watermark;
      }
      if (event > maxEvent) {
        maxEvent = event;
        watermark = Math.max(watermark, maxEvent - bound);
      }
      return time.tooLate().test(event, watermark) ? watermark : event;
    }
  }
}
