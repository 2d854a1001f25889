package dev.stallwatch.pipeline.classroom;

import java.util.List;

/**
 * The topics of the classroom family (CLASSROOM.md C1 to C7) and the names of what a backfill
 * writes. The input topics' names are also the names of a backfill's input dumps; each sink's name
 * is the name of its output file.
 */
public final class ClassroomTopics {
  private ClassroomTopics() {}

  /** C1's input: the classroom client's timeline messages. */
  public static final String SIGNALS_IN = "timeline_client_topic";
  /** C4's input: quality-of-service events of recorded courses. */
  public static final String QOS = "qos_log";
  /** C5's input: audio/video state records of live classes. */
  public static final String AV = "agora_record";

  /** C2's input: the channel name dictionary (each channel's level). */
  public static final String LEVELS = "blink_stg_activity__channel_name_dictionary_da";
  /** C6's input: students' rows (their channel). */
  public static final String STUDENTS = "uc_account-student";
  /** C6's input: users' rows (name, registration time, status). */
  public static final String USERS = "uc_account-user";
  /** C7's input: course orders. */
  public static final String ORDERS = "data_pack_order_info";

  /** C2's key-value table. */
  public static final String LEVEL_TABLE = "channel_name_dictionary";
  /** C6's search index (and its table when no index is given). */
  public static final String REGISTRATIONS_INDEX = "vk_app_es_sign_csh";
  /** C7's table. */
  public static final String STAFF_TABLE = "staff_index";

  /** C1's output topic: the flat student classroom signals. */
  public static final String SIGNALS_OUT = "timeline_analysis_student";
  /** The dead letters of every classroom job, with their origin and reason. */
  public static final String DEAD_LETTERS = "classroom_dead_letter";

  /** The input topics, in the order the jobs take them. */
  public static final List<String> INPUTS = List.of(SIGNALS_IN, QOS, AV, LEVELS, STUDENTS, USERS, ORDERS);

  /** The file a backfill writes its dead letters to ({@code dead-letter.jsonl}). */
  public static final String DEAD_LETTER_FILE = "dead-letter";
}
