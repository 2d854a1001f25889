package dev.stallwatch.pipeline.search;

import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code _bulk} protocol of {@link SearchIndexWrite}, without Beam: one batch of documents in,
 * one {@link Outcome} out, or an {@link IOException} once the node has been busy or away for longer
 * than the settings' max retry duration.
 *
 * <p>Each document is an {@code index} action with its {@code _id} and an external version
 * ({@code version_type: external}): the node stores it only if its version is higher than the
 * stored one's, else answers 409 {@code version_conflict_engine_exception} for that item. Of two
 * documents of one id in a batch only the highest version is sent (at equal versions the later).
 *
 * <p>Whole requests that fail with an I/O error, 429 or a 5xx status are sent again; items that
 * fail with 429 or a 5xx status are sent again on their own; both after a pause that starts at the
 * initial backoff and doubles up to 30 s, while the next attempt would start before the deadline
 * (the first attempt plus the max retry duration). Any other status of the whole request (401,
 * 403, 404, 413 ...) fails at once: retrying cannot help, and the bundle's failure says why.
 */
final class BulkWriter {
  static final long MAX_BACKOFF_MILLIS = 30_000;

  /** Only what the writer reads of the response, which keeps it small for large batches. */
  static final String BULK_PATH = "/_bulk?filter_path=errors,items.*._id,items.*.status,items.*.error";

  private final SearchSettings settings;
  private final HttpClient client;
  private final String authorization;
  private final Runnable onRetry;

  BulkWriter(SearchSettings settings, HttpClient client, String authorization, Runnable onRetry) {
    this.settings = settings;
    this.client = client;
    this.authorization = authorization;
    this.onRetry = onRetry;
  }

  /** A document the index refused: not sent again, a dead letter. Status 0: never sent. */
  record Rejection(SearchDoc doc, int status, String type, String reason) {}

  /** What became of a batch. */
  record Outcome(List<SearchDoc> written, List<SearchDoc> superseded, List<Rejection> rejected) {}

  /** Writes {@code docs}, retrying what can be retried. */
  Outcome write(Collection<SearchDoc> docs) throws IOException, InterruptedException {
    List<SearchDoc> written = new ArrayList<>();
    List<SearchDoc> superseded = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();

    Map<String, SearchDoc> newest = new LinkedHashMap<>();
    for (SearchDoc d : docs) {
      SearchDoc kept = newest.get(d.id());
      if (kept == null || d.version() >= kept.version()) {
        newest.put(d.id(), d);
        if (kept != null) {
          superseded.add(kept);
        }
      } else {
        superseded.add(d);
      }
    }
    List<SearchDoc> pending = new ArrayList<>();
    for (SearchDoc d : newest.values()) {
      if (isObject(d.json())) {
        pending.add(d);
      } else {
        rejected.add(new Rejection(d, 0, "not_a_json_object", "the source is not one JSON object; not sent"));
      }
    }

    long deadline = System.nanoTime() + settings.maxRetryDuration().getMillis() * 1_000_000L;
    long backoff = settings.initialBackoff().getMillis();
    String lastProblem = null;
    while (!pending.isEmpty()) {
      if (lastProblem != null) {
        long now = System.nanoTime();
        if (now + backoff * 1_000_000L > deadline) {
          throw new IOException(
              "gave up writing " + pending.size() + " documents to index " + settings.index() + " at "
                  + settings.url() + " after retrying for " + settings.maxRetryDuration()
                  + " (the max retry duration): " + lastProblem);
        }
        onRetry.run();
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
      HttpResponse<String> response;
      try {
        response = send(pending);
      } catch (IOException e) {
        lastProblem = "the request failed: " + e;
        continue;
      }
      int status = response.statusCode();
      if (status == 429 || status >= 500) {
        lastProblem = "the node answered " + status + ": " + SearchHttp.excerpt(response.body());
        continue;
      }
      if (status < 200 || status > 299) {
        throw new IOException(
            "the node refused the bulk request to index " + settings.index() + " at " + settings.url()
                + " with " + status + hint(status) + ": " + SearchHttp.excerpt(response.body()));
      }
      List<SearchDoc> again = new ArrayList<>();
      List<?> items = items(response.body(), pending.size());
      for (int i = 0; i < pending.size(); i++) {
        SearchDoc doc = pending.get(i);
        Object item = SearchHttp.member(items.get(i), "index");
        int itemStatus = (int) SearchHttp.whole(item, "status", -1);
        Object error = SearchHttp.member(item, "error");
        String type = error == null ? null : SearchHttp.text(error, "type");
        if (itemStatus >= 200 && itemStatus <= 299) {
          written.add(doc);
        } else if (itemStatus == 409 && "version_conflict_engine_exception".equals(type)) {
          superseded.add(doc); // the index holds this version or a newer one
        } else if (itemStatus == 429 || itemStatus >= 500) {
          again.add(doc);
          lastProblem = "document " + doc.id() + " failed with " + reason(itemStatus, error);
        } else {
          rejected.add(new Rejection(doc, itemStatus, type == null ? "" : type, reason(itemStatus, error)));
        }
      }
      pending = again;
    }
    return new Outcome(written, superseded, rejected);
  }

  private HttpResponse<String> send(List<SearchDoc> docs) throws IOException, InterruptedException {
    HttpRequest request =
        SearchHttp.request(settings, BULK_PATH, authorization)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(settings.index(), docs)))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The NDJSON body: an action line and a source line per document, each ending with a line break. */
  static byte[] body(String index, List<SearchDoc> docs) {
    StringBuilder sb = new StringBuilder(docs.size() * 160);
    for (SearchDoc d : docs) {
      sb.append("{\"index\":{\"_index\":");
      JsonWriter.quote(index, sb);
      sb.append(",\"_id\":");
      JsonWriter.quote(d.id(), sb);
      sb.append(",\"version\":").append(d.version()).append(",\"version_type\":\"external\"}}\n");
      sb.append(oneLine(d.json())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The source on one line: JSON strings hold no raw line breaks, so any there are whitespace
   * between tokens and may become spaces.
   */
  static String oneLine(String json) {
    return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\n', ' ').replace('\r', ' ');
  }

  private static boolean isObject(String json) {
    try {
      return JsonReader.parse(json) instanceof Map;
    } catch (JsonReader.JsonException e) {
      return false;
    }
  }

  private List<?> items(String body, int expected) throws IOException {
    Object tree;
    try {
      tree = JsonReader.parse(body);
    } catch (JsonReader.JsonException e) {
      throw new IOException("the bulk response of " + settings.url() + " is not JSON (" + e.getMessage() + "): " + SearchHttp.excerpt(body), e);
    }
    Object items = SearchHttp.member(tree, "items");
    if (!(items instanceof List) || ((List<?>) items).size() != expected) {
      throw new IOException(
          "the bulk response of " + settings.url() + " does not have one item per document (" + expected
              + " sent): " + SearchHttp.excerpt(body));
    }
    return (List<?>) items;
  }

  /** {@code status 400 mapper_parsing_exception: failed to parse ... (caused by ...)}. */
  static String reason(int status, Object error) {
    StringBuilder sb = new StringBuilder("status ").append(status);
    Object e = error;
    boolean first = true;
    while (e != null) {
      String type = SearchHttp.text(e, "type");
      String reason = SearchHttp.text(e, "reason");
      sb.append(first ? " " : " (caused by ");
      sb.append(type == null ? "error" : type);
      if (reason != null) {
        sb.append(": ").append(reason);
      }
      if (!first) {
        sb.append(')');
      }
      first = false;
      e = SearchHttp.member(e, "caused_by");
    }
    return sb.toString();
  }

  private static String hint(int status) {
    switch (status) {
      case 401:
        return " (the user or password is wrong, or the node wants a user)";
      case 403:
        return " (the user may not write to this index)";
      case 413:
        return " (the request is too large: lower the bulk size)";
      default:
        return "";
    }
  }
}
