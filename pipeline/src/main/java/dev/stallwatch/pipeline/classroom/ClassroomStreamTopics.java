package dev.stallwatch.pipeline.classroom;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topics of the classroom streaming job: the seven inputs, C1's output and the dead letters.
 * {@link #defaults()} are CLASSROOM.md's names ({@link ClassroomTopics}).
 */
public record ClassroomStreamTopics(
    String signals,
    String qos,
    String av,
    String levels,
    String students,
    String users,
    String orders,
    String signalsOut,
    String deadLetters)
    implements Serializable {

  public ClassroomStreamTopics {
    Set<String> seen = new LinkedHashSet<>();
    for (String t : List.of(signals, qos, av, levels, students, users, orders, signalsOut, deadLetters)) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("every classroom topic needs a name");
      }
      if (!seen.add(t)) {
        throw new IllegalArgumentException("topic " + t + " is named twice: each input and output needs its own");
      }
    }
  }

  /** These topics of C1 to C5, and CLASSROOM.md's names for C2's, C6's and C7's inputs. */
  public ClassroomStreamTopics(String signals, String qos, String av, String signalsOut, String deadLetters) {
    this(
        signals, qos, av, ClassroomTopics.LEVELS, ClassroomTopics.STUDENTS, ClassroomTopics.USERS, ClassroomTopics.ORDERS,
        signalsOut, deadLetters);
  }

  public static ClassroomStreamTopics defaults() {
    return new ClassroomStreamTopics(
        ClassroomTopics.SIGNALS_IN, ClassroomTopics.QOS, ClassroomTopics.AV, ClassroomTopics.SIGNALS_OUT, ClassroomTopics.DEAD_LETTERS);
  }

  /** The input topics, in the order of {@link ClassroomTopics#INPUTS}. */
  public List<String> inputs() {
    return List.of(signals, qos, av, levels, students, users, orders);
  }
}
