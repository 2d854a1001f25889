package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.jdbc.JdbcKeyValueTable;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import dev.stallwatch.pipeline.jdbc.UpsertTable;
import dev.stallwatch.pipeline.kafka.ClassroomEventTime;
import dev.stallwatch.pipeline.kafka.EventTimePolicy;
import dev.stallwatch.pipeline.kafka.KafkaMessages;
import dev.stallwatch.pipeline.kafka.KafkaSinks;
import dev.stallwatch.pipeline.kafka.KafkaTopicSink;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.search.SearchDoc;
import dev.stallwatch.pipeline.search.SearchIndexWrite;
import dev.stallwatch.pipeline.search.SearchSettings;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The classroom streaming job (CLASSROOM.md C1 to C7): the seven input topics from Kafka in; C1's
 * signals to {@code timeline_analysis_student} under their input record's key, every dead letter
 * to {@code classroom_dead_letter}, C3's, C4's and C5's rows upserted into their JDBC tables
 * (MariaDB, PostgreSQL, H2, Oracle) by {@link ClassroomTables}' sinks, and C2's dictionary, C6's
 * and C7's counts by {@link #writeCounts} ({@link CountsGraph}).
 *
 * <p>{@link #create} composes three public pieces — {@link #read} (steps {@code ReadSignals}, {@code
 * ReadQos}, {@code ReadAv}), {@link ClassroomGraph#build} and {@link #writeOutputs} — under stable
 * step names (Flink's operator ids, which a savepoint knows); an embedded run or a test that needs
 * steps of its own between them (an observer, a fault) composes the same pieces itself.
 *
 * <p><b>Sources.</b> Each topic is read by {@link KafkaMessages} with its own event time ({@link
 * ClassroomEventTime}): the time field of its job, the job's too-late rule and its watermark bound;
 * idle time and future skew are shared ({@link Io#bounds}).
 *
 * <p><b>Sinks.</b> C1's topic is written with {@link KafkaTopicSink} under the job's {@link
 * KafkaSinks.Delivery}: exactly once through Kafka transactions that wait for a checkpoint, or at
 * least once. A signal whose input record had no key is written with the empty key (the
 * exactly-once sink cannot carry a null one, and both modes should write the same records). Dead
 * letters always go at least once, keyed by origin, so that people see them at once; a repeat has
 * the same origin. The tables are written by {@link UpsertTable} (upsert by the table's key, so a
 * replay or a retried bundle adds no row). C3 and C5 emit one row per pane, accumulating, so {@code
 * event_count} never goes down along a key's panes; their sinks are made conditional with {@link
 * UpsertTable#withNewerBy} on {@code event_count}: a row replaces the stored one only when its count
 * is at least the stored count, decided by the database in the same statement. So a pane delivered
 * after a later pane of its key — across bundles, after a restore from a checkpoint, by a replay
 * beside a live job — never leaves the smaller count in the table. C4's rows are final when they
 * leave (one per success) and are upserted plainly.
 */
public final class ClassroomStreamingJob {
  private ClassroomStreamingJob() {}

  /** How far the update times of C2's, C6's and C7's topics may run behind their newest. */
  public static final Duration UPDATES_WATERMARK_BOUND = Duration.standardMinutes(1);

  /**
   * Where the job reads and writes: the Kafka servers, its topics, the Kafka client settings of
   * {@code --kafkaProperties}, the clock and the sources' shared bounds (idle time, future skew;
   * each topic's watermark bound comes from the {@link ClassroomConfig}).
   */
  public record Io(
      String bootstrapServers,
      ClassroomStreamTopics topics,
      Map<String, Object> kafkaClient,
      SimulatedClock clock,
      EventTimePolicy.Bounds bounds) {}

  /**
   * The database and its tables; {@code jdbc} null writes no table (Kafka outputs only). {@code
   * search}, when set, is the index C6 writes to instead of its table.
   */
  public record Tables(JdbcSettings jdbc, ClassroomTables tables, OperationsTables operations, SearchSettings search) {
    public Tables(JdbcSettings jdbc, ClassroomTables tables) {
      this(jdbc, tables, OperationsTables.defaults(), null);
    }

    public static Tables none() {
      return new Tables(null, ClassroomTables.defaults());
    }
  }

  /** What {@link #read} gives: the graphs' inputs and the sources' own dead letters. */
  public record Read(ClassroomGraph.Inputs inputs, CountsGraph.Inputs counts, PCollection<BadRecord> unreadable) {}

  /** The job's pipeline. */
  public static Pipeline create(
      PipelineOptions options, ClassroomConfig config, Io io, KafkaSinks.Delivery delivery, Tables tables) {
    Pipeline pipeline = Pipeline.create(options);
    Read read = read(pipeline, config, io);
    ClassroomGraph.Outputs outputs = ClassroomGraph.build(read.inputs(), config);
    CountsGraph.Outputs counts = CountsGraph.build(read.counts(), config);
    writeOutputs(outputs, counts, read.unreadable(), config, io, delivery, tables);
    return pipeline;
  }

  /**
   * Steps {@code ReadSignals}, {@code ReadQos} and {@code ReadAv}, and {@code SourceDeadLetters}
   * (the three sources' unreadable and future messages).
   */
  public static Read read(Pipeline pipeline, ClassroomConfig config, Io io) {
    String zone = config.signals().zoneId();
    PCollectionTuple signals =
        source(pipeline.begin(), "ReadSignals", io, io.topics().signals(), zone, ClassroomEventTime.signals(config.signals()));
    PCollectionTuple qos =
        source(pipeline.begin(), "ReadQos", io, io.topics().qos(), zone, ClassroomEventTime.qos(config.quality()));
    PCollectionTuple av =
        source(pipeline.begin(), "ReadAv", io, io.topics().av(), zone, ClassroomEventTime.av(config.quality()));
    Duration bound = UPDATES_WATERMARK_BOUND;
    PCollectionTuple levels =
        source(pipeline.begin(), "ReadLevels", io, io.topics().levels(), zone, ClassroomEventTime.updates("levels", zone, bound));
    PCollectionTuple students =
        source(pipeline.begin(), "ReadStudents", io, io.topics().students(), zone, ClassroomEventTime.updates("students", zone, bound));
    PCollectionTuple users =
        source(pipeline.begin(), "ReadUsers", io, io.topics().users(), zone, ClassroomEventTime.updates("users", zone, bound));
    PCollectionTuple orders =
        source(pipeline.begin(), "ReadOrders", io, io.topics().orders(), zone, ClassroomEventTime.updates("orders", zone, bound));
    PCollection<BadRecord> unreadable =
        PCollectionList.of(signals.get(KafkaMessages.UNREADABLE))
            .and(qos.get(KafkaMessages.UNREADABLE))
            .and(av.get(KafkaMessages.UNREADABLE))
            .and(levels.get(KafkaMessages.UNREADABLE))
            .and(students.get(KafkaMessages.UNREADABLE))
            .and(users.get(KafkaMessages.UNREADABLE))
            .and(orders.get(KafkaMessages.UNREADABLE))
            .apply("SourceDeadLetters", Flatten.pCollections());
    return new Read(
        new ClassroomGraph.Inputs(
            signals.get(KafkaMessages.MESSAGES), qos.get(KafkaMessages.MESSAGES), av.get(KafkaMessages.MESSAGES)),
        new CountsGraph.Inputs(
            levels.get(KafkaMessages.MESSAGES), students.get(KafkaMessages.MESSAGES), users.get(KafkaMessages.MESSAGES),
            orders.get(KafkaMessages.MESSAGES)),
        unreadable);
  }

  private static PCollectionTuple source(
      PBegin begin, String step, Io io, String topic, String zone, ClassroomEventTime time) {
    return begin.apply(
        step, new KafkaMessages(io.bootstrapServers(), topic, zone, time, io.bounds(), io.clock(), io.kafkaClient()));
  }

  /**
   * Steps {@code AllDeadLetters}, {@code SignalKeys} and {@code WriteSignals} (C1's topic), {@code
   * DeadLetterRecords} and {@code WriteDeadLetters}, and with a database {@link #writeTables}'
   * steps {@code SignalAnalysisRows} / {@code SignalAnalysisTable} (C3), {@code TakeTimeRows} /
   * {@code TakeTimeTable} (C4), {@code AvRecordRows} / {@code AvRecordTable} (C5).
   */
  public static void writeOutputs(
      ClassroomGraph.Outputs outputs,
      CountsGraph.Outputs counts,
      PCollection<BadRecord> sourceDeadLetters,
      ClassroomConfig config,
      Io io,
      KafkaSinks.Delivery delivery,
      Tables tables) {
    Map<String, Object> producer = KafkaSinks.producerConfig(io.kafkaClient());
    KvCoder<String, String> kv = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    TypeDescriptor<KV<String, String>> kvType = TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings());
    outputs
        .signalRecords()
        .apply("SignalKeys", MapElements.into(kvType).via((KV<String, String> r) -> KV.of(r.getKey() == null ? "" : r.getKey(), r.getValue())))
        .setCoder(kv)
        .apply("WriteSignals", KafkaTopicSink.of(io.bootstrapServers(), io.topics().signalsOut(), producer, delivery, io.kafkaClient()));
    PCollectionList<BadRecord> deadLetters = PCollectionList.of(outputs.deadLetters()).and(sourceDeadLetters);
    if (counts != null) {
      deadLetters = deadLetters.and(counts.deadLetters());
      PCollection<BadRecord> refused = writeCounts(counts, config, tables, "");
      if (refused != null) {
        deadLetters = deadLetters.and(refused);
      }
    }
    deadLetters
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("DeadLetterRecords", MapElements.into(kvType).via((BadRecord b) -> KV.of(b.origin(), b.toJson())))
        .setCoder(kv)
        .apply(
            "WriteDeadLetters",
            KafkaTopicSink.of(io.bootstrapServers(), io.topics().deadLetters(), producer, KafkaSinks.Delivery.atLeastOnce(), io.kafkaClient()));
    writeTables(outputs, config, tables, "");
  }

  /**
   * C2's rows to {@code channel_name_dictionary} (steps {@code PREFIXLevelRows} / {@code
   * PREFIXLevelTable}), C6's counts to the search index (steps {@code PREFIXRegistrationDocs} /
   * {@code PREFIXRegistrationIndex}) or, without one, to their table ({@code
   * PREFIXRegistrationRows} / {@code PREFIXRegistrationTable}), and C7's to {@code staff_index}
   * ({@code PREFIXStaffRows} / {@code PREFIXStaffTable}); nothing without a database. Every sink
   * keeps a key's newest: the dictionary by {@code update_time}, the counts by their revision
   * (the index by external versioning, the tables by {@link UpsertTable#withNewerBy}), so a count
   * delivered after a newer one of its group — a retried bundle, a restore — never overwrites it.
   * Answers the documents the index refused, as dead letters, or null when there is no index.
   */
  public static PCollection<BadRecord> writeCounts(
      CountsGraph.Outputs counts, ClassroomConfig config, Tables tables, String stepPrefix) {
    if (tables.jdbc() == null) {
      return null;
    }
    String zone = config.quality().zoneId();
    OperationsTables t = tables.operations();
    counts
        .levels()
        .apply(stepPrefix + "LevelRows", MapElements.into(TypeDescriptors.rows()).via(OperationsTables::levelRow))
        .setRowSchema(JdbcKeyValueTable.LEVEL_DICTIONARY)
        .apply(stepPrefix + "LevelTable", t.levelTable(tables.jdbc()).withZone(zone).writer());
    PCollection<BadRecord> refused = null;
    if (tables.search() != null) {
      refused = counts
          .registrations()
          .apply(stepPrefix + "RegistrationDocs", MapElements.into(TypeDescriptor.of(SearchDoc.class)).via(ClassroomStreamingJob::registrationDoc))
          .setCoder(SearchDoc.SearchDocCoder.of())
          .apply(stepPrefix + "RegistrationIndex", SearchIndexWrite.to(tables.search()).withResult())
          .deadLetters();
    } else {
      counts
          .registrations()
          .apply(stepPrefix + "RegistrationRows", MapElements.into(TypeDescriptors.rows()).via(OperationsTables::registrationRow))
          .setRowSchema(OperationsTables.REGISTRATIONS)
          .apply(stepPrefix + "RegistrationTable", t.registrationSink(tables.jdbc()).withZone(zone));
    }
    counts
        .confirmations()
        .apply(stepPrefix + "StaffRows", ParDo.of(new StaffRowFn()))
        .setRowSchema(OperationsTables.STAFF_INDEX)
        .apply(stepPrefix + "StaffTable", t.staffSink(tables.jdbc()).withZone(zone));
    return refused;
  }

  /** C6's count as its index document: id {@code uk}, version = the count's revision. */
  public static SearchDoc registrationDoc(GroupCount c) {
    return new SearchDoc(c.group(), CountsRows.registrationJson(c), c.revision());
  }

  /**
   * C7's row, {@code update_time} the event time of the update that changed the count; none
   * (null) when the element carries no time of a day (a batch's rows without timestamps are at the
   * ends of time).
   */
  private static final class StaffRowFn extends DoFn<GroupCount, Row> {
    private static final long YEAR_10000 = 253_402_300_800_000L;

    @ProcessElement
    public void process(@Element GroupCount c, @Timestamp Instant time, OutputReceiver<Row> out) {
      boolean aDay = time.getMillis() >= 0 && time.getMillis() < YEAR_10000;
      out.output(OperationsTables.staffRow(c, aDay ? time : null));
    }
  }

  /**
   * C3's, C4's and C5's rows to the tables of {@code tables} (nothing when its {@code jdbc} is
   * null): steps {@code PREFIXSignalAnalysisRows} / {@code PREFIXSignalAnalysisTable}, {@code
   * PREFIXTakeTimeRows} / {@code PREFIXTakeTimeTable}, {@code PREFIXAvRecordRows} / {@code
   * PREFIXAvRecordTable}. The job's own prefix is empty; another prefix writes the same rows to a
   * second database too (a migration, or a test holding two databases to one run).
   */
  public static void writeTables(ClassroomGraph.Outputs outputs, ClassroomConfig config, Tables tables, String stepPrefix) {
    if (tables.jdbc() == null) {
      return;
    }
    String zone = config.quality().zoneId();
    ClassroomTables t = tables.tables();
    outputs
        .signalCounts()
        .apply(stepPrefix + "SignalAnalysisRows", MapElements.into(TypeDescriptors.rows()).via(ClassroomStreamingJob::signalRow))
        .setRowSchema(ClassroomTables.SIGNAL_ANALYSIS)
        .apply(stepPrefix + "SignalAnalysisTable", t.signalAnalysisSink(tables.jdbc()).withZone(zone).withNewerBy("event_count"));
    outputs
        .courseDurations()
        .apply(stepPrefix + "TakeTimeRows", MapElements.into(TypeDescriptors.rows()).via(ClassroomStreamingJob::takeTimeRow))
        .setRowSchema(ClassroomTables.TAKE_TIME)
        .apply(stepPrefix + "TakeTimeTable", t.takeTimeSink(tables.jdbc()).withZone(zone));
    outputs
        .avQuality()
        .apply(stepPrefix + "AvRecordRows", MapElements.into(TypeDescriptors.rows()).via(ClassroomStreamingJob::avRow))
        .setRowSchema(ClassroomTables.AV_RECORD)
        .apply(stepPrefix + "AvRecordTable", t.avRecordSink(tables.jdbc()).withZone(zone).withNewerBy("event_count"));
  }

  /** C3's row as {@link ClassroomTables#SIGNAL_ANALYSIS} holds it. */
  public static Row signalRow(SignalCount c) {
    return Row.withSchema(ClassroomTables.SIGNAL_ANALYSIS)
        .addValues(
            new Instant(c.startMillis()),
            new Instant(c.endMillis()),
            c.webserverId(),
            c.userId(),
            c.role(),
            c.event(),
            c.eventCount(),
            new Instant(c.createMillis()))
        .build();
  }

  /** C4's row as {@link ClassroomTables#TAKE_TIME} holds it; {@code create_time} is the success time. */
  public static Row takeTimeRow(CourseDurationRow r) {
    return Row.withSchema(ClassroomTables.TAKE_TIME)
        .addValues(
            Long.toString(r.userId()),
            r.classroomId(),
            r.userType(),
            r.spendMillis(),
            new Instant(r.eventTimeMillis()),
            new Instant(r.successMillis()),
            new Instant(r.successMillis()))
        .build();
  }

  /** C5's row as {@link ClassroomTables#AV_RECORD} holds it; {@code create_time} is the window's end. */
  public static Row avRow(AvQualityRow r) {
    return Row.withSchema(ClassroomTables.AV_RECORD)
        .addValues(
            new Instant(r.startMillis()),
            new Instant(r.endMillis()),
            Long.toString(r.key().userId()),
            Long.toString(r.key().channelId()),
            r.key().classroomId(),
            r.key().userType(),
            Long.toString(r.key().uid()),
            r.key().event(),
            (double) r.sum(),
            r.avg(),
            r.count(),
            new Instant(r.endMillis()))
        .build();
  }
}
