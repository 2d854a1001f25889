package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.parse.LevelParser;
import dev.stallwatch.classroom.parse.RowParser;
import dev.stallwatch.classroom.parse.OrderParser;
import dev.stallwatch.classroom.parse.StudentParser;
import dev.stallwatch.classroom.parse.UserParser;
import dev.stallwatch.classroom.operations.ConsultantOrders;
import dev.stallwatch.classroom.operations.LatestLevels;
import dev.stallwatch.classroom.operations.ParseRows;
import dev.stallwatch.classroom.operations.Registrations;
import dev.stallwatch.domain.BadRecord;
import java.time.ZoneId;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The classroom family's updating-count graph (CLASSROOM.md C2, C6, C7): the messages of the four
 * dimension and order topics in; C2's dictionary rows, C6's and C7's group counts and their dead
 * letters out. Beside {@link ClassroomGraph} in the same backfill and streaming job, under step
 * names of its own ({@code ParseLevels}, {@code ParseStudents}, {@code ParseUsers}, {@code
 * ParseOrders}, {@code LatestLevels}, {@code Registrations}, {@code ConsultantOrders}, {@code
 * CountsDeadLetters}).
 */
public final class CountsGraph {
  private CountsGraph() {}

  /** The messages of each input topic, with their origins. */
  public record Inputs(
      PCollection<Message> levels, PCollection<Message> students, PCollection<Message> users, PCollection<Message> orders) {}

  /** What the graph writes. */
  public record Outputs(
      /** C2: each dictionary row newer than the one before it of its id, for {@code channel_name_dictionary}. */
      PCollection<LevelEntry> levels,
      /** C6: each (hour, level)'s new {@code leads}, group {@code yyyyMMddHH_LEVEL}. */
      PCollection<GroupCount> registrations,
      /** C7: each (consultant, day)'s new {@code cc_index}, group {@code cc_id|yyyy-MM-dd}. */
      PCollection<GroupCount> confirmations,
      PCollection<BadRecord> deadLetters) {}

  public static Outputs build(Inputs inputs, ClassroomConfig config) {
    String zoneId = config.quality().zoneId();
    ZoneId zone = ZoneId.of(zoneId);
    LevelParser levelParser = new LevelParser(zone);
    StudentParser studentParser = new StudentParser(zone);
    UserParser userParser = new UserParser(zone);
    OrderParser orderParser = new OrderParser(zone);
    PCollectionTuple levels =
        inputs.levels().apply("ParseLevels", ParseRows.of("c2.", LevelEntry.LevelEntryCoder.of(), levelParser));
    PCollectionTuple students =
        inputs.students().apply("ParseStudents", ParseRows.of("c6.students.", StudentRow.StudentRowCoder.of(), studentParser));
    PCollectionTuple users =
        inputs.users().apply("ParseUsers", ParseRows.of("c6.users.", UserRow.UserRowCoder.of(), userParser));
    PCollectionTuple orders =
        inputs.orders().apply("ParseOrders", ParseRows.of("c7.", OrderRow.OrderRowCoder.of(), orderParser));
    PCollection<LevelEntry> levelRows = levels.get(ParseRows.<LevelEntry>rows());
    PCollection<GroupCount> registrations =
        PCollectionTuple.of(Registrations.STUDENTS, students.get(ParseRows.<StudentRow>rows()))
            .and(Registrations.USERS, users.get(ParseRows.<UserRow>rows()))
            .and(Registrations.LEVELS, levelRows)
            .apply("Registrations", Registrations.of(config.counts().filter(), zoneId, config.counts().registrationTtl()));
    PCollection<GroupCount> confirmations =
        orders.get(ParseRows.<OrderRow>rows())
            .apply("ConsultantOrders", ConsultantOrders.of(zoneId, config.counts().orderLateness()));
    PCollection<LevelEntry> latest = levelRows.apply("LatestLevels", LatestLevels.create());
    PCollection<BadRecord> deadLetters =
        PCollectionList.of(levels.get(ParseRows.deadLetters()))
            .and(students.get(ParseRows.deadLetters()))
            .and(users.get(ParseRows.deadLetters()))
            .and(orders.get(ParseRows.deadLetters()))
            .apply("CountsDeadLetters", Flatten.pCollections());
    return new Outputs(latest, registrations, confirmations, deadLetters);
  }
}
