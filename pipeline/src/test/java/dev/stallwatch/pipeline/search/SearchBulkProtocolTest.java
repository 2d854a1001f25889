package dev.stallwatch.pipeline.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import dev.stallwatch.domain.BadRecord;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's HTTP side against a scripted {@link HttpServer} on 127.0.0.1, for what a real node
 * cannot be made to do on demand: answer 429 or 503, drop the connection, refuse a whole request,
 * fail some items with 429. Also the exact NDJSON body and the Authorization header.
 */
class SearchBulkProtocolTest {
  private HttpServer server;
  /**
   * Responses to give, in order: status and body; status -1 closes the connection unanswered.
   * Past the script every item succeeds.
   */
  private final Deque<Object[]> script = new ArrayDeque<>();
  private final List<String> served = Collections.synchronizedList(new ArrayList<>());
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

  private record Recorded(long nanos, String method, String path, String authorization, String contentType, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Recorded(
            System.nanoTime(),
            ex.getRequestMethod(),
            ex.getRequestURI().toString(),
            ex.getRequestHeaders().getFirst("Authorization"),
            ex.getRequestHeaders().getFirst("Content-Type"),
            body));
    Object[] next;
    synchronized (script) {
      // past the script: every document written
      next = script.isEmpty() ? new Object[] {200, ok(body.split("\n").length / 2)} : script.poll();
    }
    int status = (Integer) next[0];
    served.add(status + "@" + Thread.currentThread().getName());
    if (status < 0) {
      ex.close(); // no status line: the client sees the connection end
      return;
    }
    byte[] bytes = ((String) next[1]).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void reply(int status, String body) {
    script.add(new Object[] {status, body});
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private SearchSettings settings() {
    return SearchSettings.of(url() + "/", "leads").withInitialBackoff(Duration.millis(200)).withMaxRetryDuration(Duration.standardSeconds(10));
  }

  private static String ok(int n) {
    StringBuilder sb = new StringBuilder("{\"errors\":false,\"items\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"index\":{\"status\":201}}");
    }
    return sb.append("]}").toString();
  }

  private static BulkWriter writer(SearchSettings s, AtomicInteger retries) {
    return new BulkWriter(s, SearchHttp.client(s), s.authorization(), retries::incrementAndGet);
  }

  private static double millisBetween(Recorded a, Recorded b) {
    return (b.nanos() - a.nanos()) / 1e6;
  }

  @Test
  void bodyIsOneActionAndOneSourceLinePerNewestDocument() throws Exception {
    reply(200, ok(2));
    AtomicInteger retries = new AtomicInteger();
    BulkWriter.Outcome outcome =
        writer(settings(), retries)
            .write(
                List.of(
                    new SearchDoc("a", "{\"n\":1}", 1),
                    new SearchDoc("q\"x", "{\n  \"n\": 2\n}", 7),
                    new SearchDoc("a", "{\"n\":3}", 3),
                    new SearchDoc("a", "{\"n\":2}", 2)));
    assertEquals(1, requests.size());
    Recorded r = requests.get(0);
    assertEquals("POST", r.method());
    assertTrue(r.path().startsWith("/_bulk"), r.path());
    assertEquals("application/x-ndjson", r.contentType());
    assertNull(r.authorization(), "no user, no Authorization header");
    assertEquals(
        "{\"index\":{\"_index\":\"leads\",\"_id\":\"a\",\"version\":3,\"version_type\":\"external\"}}\n"
            + "{\"n\":3}\n"
            + "{\"index\":{\"_index\":\"leads\",\"_id\":\"q\\\"x\",\"version\":7,\"version_type\":\"external\"}}\n"
            + "{   \"n\": 2 }\n",
        r.body());
    assertEquals(2, outcome.written().size());
    assertEquals(2, outcome.superseded().size(), "versions 1 and 2 of a lost to 3 in the batch");
    assertEquals(0, retries.get());
  }

  @Test
  void basicAuthenticationFromThePasswordFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("search-password");
    Files.writeString(file, "s3cret\n", StandardCharsets.UTF_8);
    SearchSettings s = settings().withUser("writer").withPasswordFile(file.toString());
    assertEquals("Basic d3JpdGVyOnMzY3JldA==", s.authorization());
    assertFalse(s.toString().contains("s3cret"), s.toString());

    reply(200, ok(1));
    writer(s, new AtomicInteger()).write(List.of(new SearchDoc("a", "{}", 1)));
    assertEquals("Basic d3JpdGVyOnMzY3JldA==", requests.get(0).authorization());

    SearchSettings noPassword = settings().withUser("writer").withPasswordEnv("STALLWATCH_TEST_UNSET_VARIABLE_42");
    IllegalStateException e = assertThrows(IllegalStateException.class, noPassword::authorization);
    assertTrue(e.getMessage().contains("STALLWATCH_TEST_UNSET_VARIABLE_42"), e.getMessage());
  }

  @Test
  void wholeRequest429And503AreRetriedWithDoublingBackoff() throws Exception {
    reply(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\"},\"status\":429}");
    reply(503, "{\"error\":\"unavailable\"}");
    reply(200, ok(2));
    AtomicInteger retries = new AtomicInteger();
    BulkWriter.Outcome outcome =
        writer(settings(), retries).write(List.of(new SearchDoc("a", "{}", 1), new SearchDoc("b", "{}", 1)));
    assertEquals(3, requests.size());
    assertEquals(2, retries.get());
    assertEquals(requests.get(0).body(), requests.get(2).body(), "the same batch is sent again");
    double first = millisBetween(requests.get(0), requests.get(1));
    double second = millisBetween(requests.get(1), requests.get(2));
    assertTrue(first >= 200, "first pause " + first + " ms, at least the initial 200 ms");
    assertTrue(second >= 400, "second pause " + second + " ms, at least twice the first backoff");
    assertTrue(first < 5_000 && second < 5_000, first + " / " + second);
    assertEquals(2, outcome.written().size());
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    reply(-1, "");
    reply(200, ok(1));
    AtomicInteger retries = new AtomicInteger();
    BulkWriter.Outcome outcome = writer(settings(), retries).write(List.of(new SearchDoc("a", "{}", 1)));
    assertEquals(2, requests.size());
    assertEquals(1, retries.get());
    assertEquals(1, outcome.written().size());
  }

  @Test
  void givesUpAfterTheMaxRetryDurationWithTheLastProblem() {
    for (int i = 0; i < 20; i++) {
      reply(503, "{\"error\":\"node is restarting\"}");
    }
    SearchSettings s = settings().withMaxRetryDuration(Duration.standardSeconds(1));
    long start = System.nanoTime();
    IOException e =
        assertThrows(IOException.class, () -> writer(s, new AtomicInteger()).write(List.of(new SearchDoc("a", "{}", 1))));
    long end = System.nanoTime();
    // pauses of 0.2 s, then 0.4 s, ...; no attempt starts past the 1 s allowed, and the writer stops
    // as soon as the next pause would end past it (with fast answers: attempts at 0, 0.2, 0.6 s)
    assertTrue(requests.size() >= 2 && requests.size() <= 3, requests.size() + " attempts");
    for (Recorded r : requests) {
      // (slack for a loaded machine, where a pause may oversleep)
      assertTrue((r.nanos() - start) / 1e6 < 1_000 + 1_000, "an attempt at " + (r.nanos() - start) / 1e6 + " ms");
    }
    assertTrue((end - start) / 1e6 < 1_000 + 2_000, "gave up after " + (end - start) / 1e6 + " ms, not after the 5 minutes of the default");
    if (requests.size() == 3) {
      assertTrue(millisBetween(requests.get(1), requests.get(2)) >= 400);
    }
    assertTrue(e.getMessage().contains("gave up writing 1 documents to index leads"), e.getMessage());
    assertTrue(e.getMessage().contains("503") && e.getMessage().contains("node is restarting"), e.getMessage());
  }

  @Test
  void aRefusedWholeRequestFailsAtOnce() {
    reply(401, "{\"error\":\"unauthorized\"}");
    IOException e =
        assertThrows(
            IOException.class, () -> writer(settings(), new AtomicInteger()).write(List.of(new SearchDoc("a", "{}", 1))));
    assertEquals(1, requests.size());
    assertTrue(e.getMessage().contains("401") && e.getMessage().contains("user or password"), e.getMessage());
  }

  @Test
  void itemsSortedIntoWrittenSupersededRetriedAndRejected() throws Exception {
    reply(
        200,
        "{\"errors\":true,\"items\":["
            + "{\"index\":{\"_id\":\"a\",\"status\":201}},"
            + "{\"index\":{\"_id\":\"b\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"[b]: version conflict\"}}},"
            + "{\"index\":{\"_id\":\"c\",\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}},"
            + "{\"index\":{\"_id\":\"d\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [leads]\","
            + "\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"For input string: \\\"abc\\\"\"}}}}]}");
    reply(200, ok(1));
    AtomicInteger retries = new AtomicInteger();
    BulkWriter.Outcome outcome =
        writer(settings(), retries)
            .write(
                List.of(
                    new SearchDoc("a", "{}", 1),
                    new SearchDoc("b", "{}", 1),
                    new SearchDoc("c", "{\"c\":1}", 4),
                    new SearchDoc("d", "{\"leads\":\"abc\"}", 1),
                    new SearchDoc("e", "[1,2]", 1)));
    assertEquals(2, requests.size());
    assertEquals(
        "{\"index\":{\"_index\":\"leads\",\"_id\":\"c\",\"version\":4,\"version_type\":\"external\"}}\n{\"c\":1}\n",
        requests.get(1).body(),
        "only the item that failed with 429 is sent again");
    assertEquals(1, retries.get());
    assertEquals(List.of("a", "c"), outcome.written().stream().map(SearchDoc::id).toList());
    assertEquals(List.of("b"), outcome.superseded().stream().map(SearchDoc::id).toList());
    assertEquals(2, outcome.rejected().size());
    BulkWriter.Rejection notObject = outcome.rejected().get(0);
    assertEquals("e", notObject.doc().id());
    assertEquals(0, notObject.status());
    BulkWriter.Rejection wrongType = outcome.rejected().get(1);
    assertEquals("d", wrongType.doc().id());
    assertEquals(400, wrongType.status());
    assertEquals("mapper_parsing_exception", wrongType.type());
    assertEquals(
        "status 400 mapper_parsing_exception: failed to parse field [leads] (caused by illegal_argument_exception: For input string: \"abc\")",
        wrongType.reason());
  }

  @Test
  void thePipelineCountsRetriesAndWrites() {
    reply(429, "{\"error\":\"busy\"}"); // then every item succeeds, whatever the bundles
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(new SearchDoc("a", "{}", 1), new SearchDoc("b", "{}", 1), new SearchDoc("c", "{}", 1)))
        .apply(SearchIndexWrite.to(settings()));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long posts = requests.stream().filter(r -> r.method().equals("POST")).count();
    // the direct runner may split the three into bundles; each bundle is one request, the 429 one more
    assertTrue(posts >= 2, "requests: " + posts);
    String seen = requests.stream().map(r -> r.body().split("\n").length / 2 + " docs").toList().toString()
        + " written " + counter(result, SearchIndexWrite.WRITTEN) + " retries " + counter(result, SearchIndexWrite.RETRIES)
        + " superseded " + counter(result, SearchIndexWrite.SUPERSEDED) + " served " + served;
    assertEquals(1, counter(result, SearchIndexWrite.RETRIES, 1), seen);
    assertEquals(3, counter(result, SearchIndexWrite.WRITTEN, 3), seen);
  }

  @Test
  void aFullBatchIsSentAtOnceAndItsRefusalsAreDeadLetterLines() {
    reply(
        200,
        "{\"errors\":true,\"items\":[{\"index\":{\"_id\":\"x\",\"status\":400,\"error\":"
            + "{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [leads]\"}}}]}");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    // a bulk size of 1: the batch is sent while the element is processed, not at the bundle's end
    SearchIndexWrite.Result out =
        p.apply(Create.of(new SearchDoc("x", "{\"leads\":\"abc\"}", 3)))
            .apply(SearchIndexWrite.to(settings().withBulkSize(1)).withResult());
    PAssert.that(out.rejected())
        .containsInAnyOrder(
            "{\"index\":\"leads\",\"id\":\"x\",\"version\":3,\"status\":400,\"error_type\":\"mapper_parsing_exception\","
                + "\"reason\":\"status 400 mapper_parsing_exception: failed to parse field [leads]\","
                + "\"raw\":\"{\\\"leads\\\":\\\"abc\\\"}\",\"origin\":\"leads/x\"}");
    PAssert.that(out.deadLetters())
        .containsInAnyOrder(
            BadRecord.of("{\"leads\":\"abc\"}", "leads/x", "status 400 mapper_parsing_exception: failed to parse field [leads]"));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, counter(result, SearchIndexWrite.REJECTED, 1));
    assertEquals(0, counter(result, SearchIndexWrite.WRITTEN, 0));
  }

  @Test
  void settingsRefuseWhatTheNodeWouldRefuseLater() {
    assertEquals("http://127.0.0.1:9200", SearchSettings.of("http://127.0.0.1:9200//", "a").url());
    assertThrows(IllegalArgumentException.class, () -> SearchSettings.of("http://u:pw@host:9200", "a"));
    assertThrows(IllegalArgumentException.class, () -> SearchSettings.of("ftp://host", "a"));
    assertThrows(IllegalArgumentException.class, () -> SearchSettings.of("http://host", "Leads"));
    assertThrows(IllegalArgumentException.class, () -> SearchSettings.of("http://host", "_leads"));
    assertThrows(IllegalArgumentException.class, () -> SearchSettings.of("http://host", "a,b"));
    assertThrows(IllegalArgumentException.class, () -> SearchSettings.of("http://host", "a").withBulkSize(0));
    assertEquals(500, SearchSettings.of("http://host", "a").bulkSize());
    assertEquals(Duration.standardMinutes(5), SearchSettings.of("http://host", "a").maxRetryDuration());
    assertEquals(Duration.millis(500), SearchSettings.of("http://host", "a").initialBackoff());
    assertEquals(Duration.standardSeconds(1), SearchSettings.of("http://host", "a").flushInterval());
    assertEquals("{\"mappings\":{\"properties\":{}}}", SearchIndexes.creationBody("{\"properties\":{}}"));
    assertEquals("{\"settings\":{}}", SearchIndexes.creationBody("{\"settings\":{}}"));
  }

  /**
   * The counter's committed value once it is {@code expected}, or after 10 s whatever it is: the
   * direct runner applies metric updates on an executor, so right after {@code waitUntilFinish}
   * the last bundle's may be missing. (Committed, not attempted: the direct runner's attempted
   * values were seen to miss a whole bundle's updates, retries and writes alike, when bundles
   * finished together; the committed ones never did.)
   */
  static long counter(PipelineResult result, String name, long expected) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long value = counter(result, name);
    while (value != expected && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      value = counter(result, name);
    }
    return value;
  }

  static long counter(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(SearchIndexWrite.NAMESPACE, name)).build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getCommitted();
    }
    return sum;
  }
}
