package dev.stallwatch.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stallwatch.pipeline.options.RunOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The job's topics once the command line is applied: a route topic is no other topic of the job. */
class JobConfigTest {
  private static RunOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(RunOptions.class);
  }

  private static String refused(JobConfig config, String... args) {
    return assertThrows(IllegalArgumentException.class, () -> config.withTopics(options(args))).getMessage();
  }

  @Test
  void theDefaultTopicsAreAllDifferent() {
    assertEquals(JobConfig.defaults(), JobConfig.defaults().withTopics(options()));
    assertEquals("in", JobConfig.defaults().withTopics(options("--inputTopic=in")).names().inputTopic());
  }

  @Test
  void aRouteTopicThatIsTheInputOrDeadLetterTopicIsRefused() {
    JobConfig defaults = JobConfig.defaults();
    assertEquals(
        "--inputTopic: stream_mot_stream_account_break_ths_cc is also the topic of route cc",
        refused(defaults, "--inputTopic=stream_mot_stream_account_break_ths_cc"));
    assertEquals(
        "--deadLetterTopic: stream_mot_stream_account_break_ths is also the topic of route mot",
        refused(defaults, "--deadLetterTopic=stream_mot_stream_account_break_ths"));
    assertEquals(
        "--deadLetterTopic: rt_crhkh_crh_wskh_userqueryextinfo is also the input topic",
        refused(defaults, "--deadLetterTopic=rt_crhkh_crh_wskh_userqueryextinfo"));
    assertEquals(
        "--inputTopic: stallwatch_dead_letter is also the dead-letter topic",
        refused(defaults, "--inputTopic=stallwatch_dead_letter"));

    JobConfig file =
        ConfigFile.parse(
            "{\"routes\": [{\"name\": \"a\", \"eventId\": \"1\", \"topic\": \"dl\"}],"
                + " \"io\": {\"deadLetterTopic\": \"dl\"}}",
            "c.json");
    assertEquals("--config: route a's topic dl is also the dead-letter topic (io.deadLetterTopic)", refused(file));
    // the command line may move the clash away
    assertEquals("dl2", file.withTopics(options("--deadLetterTopic=dl2")).names().deadLetterTopic());
    JobConfig same = ConfigFile.parse("{\"io\": {\"inputTopic\": \"x\", \"deadLetterTopic\": \"x\"}}", "c.json");
    assertEquals("--config: io.inputTopic and io.deadLetterTopic are both x", refused(same));
  }

  @Test
  void commandLineTopicsFollowTheNameRule() {
    assertEquals(
        "--inputTopic: expected a topic name (letters, digits, _ . $ -; at most 249), not 'a b'",
        refused(JobConfig.defaults(), "--inputTopic=a b"));
    assertEquals(
        "--deadLetterTopic: expected a topic name (letters, digits, _ . $ -; at most 249), not 'x/y'",
        refused(JobConfig.defaults(), "--deadLetterTopic=x/y"));
  }
}
