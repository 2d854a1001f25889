package dev.stallwatch.pipeline.search;

import dev.stallwatch.text.JsonReader;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Index housekeeping outside the pipeline, with the same settings as {@link SearchIndexWrite}:
 * creating the index (not the writer's job: a mapping is a deployment's decision) and reading the
 * whole of a small index back, for tests and the embedded default's final check. Requests are made
 * once, without the writer's retries.
 */
public final class SearchIndexes {
  /** The most documents {@link #documents} reads: one page of {@code _search}, the engines' default limit. */
  public static final int MAX_DOCUMENTS = 10_000;

  private SearchIndexes() {}

  /**
   * Creates the index with {@code mappingJson}, either a whole creation body ({@code
   * {"settings":..,"mappings":..}}) or just the mappings ({@code {"properties":..}}, sent as {@code
   * {"mappings":..}}); null: the engine's defaults. An index that exists already is left as it is
   * (its mapping is not compared). Returns true when this call created it.
   */
  public static boolean createIfMissing(SearchSettings settings, String mappingJson)
      throws IOException, InterruptedException {
    String body = creationBody(mappingJson);
    HttpResponse<String> r =
        send(
            settings,
            SearchHttp.request(settings, "/" + encode(settings.index()), settings.authorization())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    if (r.statusCode() >= 200 && r.statusCode() <= 299) {
      return true;
    }
    if (r.statusCode() == 400 && r.body().contains("resource_already_exists_exception")) {
      return false;
    }
    throw new IOException(
        "could not create index " + settings.index() + " at " + settings.url() + ": " + r.statusCode()
            + " " + SearchHttp.excerpt(r.body()));
  }

  static String creationBody(String mappingJson) {
    if (mappingJson == null || mappingJson.isBlank()) {
      return "{}";
    }
    Object tree = JsonReader.parse(mappingJson);
    if (!(tree instanceof Map)) {
      throw new IllegalArgumentException("the mapping is not a JSON object");
    }
    Map<?, ?> top = (Map<?, ?>) tree;
    boolean whole =
        !top.isEmpty()
            && top.keySet().stream().allMatch(k -> k.equals("settings") || k.equals("mappings") || k.equals("aliases"));
    return whole ? mappingJson : "{\"mappings\":" + mappingJson + "}";
  }

  /**
   * Every document of the index after a refresh (so all acknowledged writes are seen): id to its
   * source as compact JSON, members in the order they were written, sorted by id. Fails for an
   * index of more than {@value #MAX_DOCUMENTS} documents.
   */
  public static Map<String, String> documents(SearchSettings settings) throws IOException, InterruptedException {
    Map<String, String> docs = new TreeMap<>();
    for (Object hit : hits(settings, false)) {
      docs.put(SearchHttp.text(hit, "_id"), SearchHttp.toJson(SearchHttp.member(hit, "_source")));
    }
    return docs;
  }

  /** The stored version of every document of the index, after a refresh; as {@link #documents}. */
  public static Map<String, Long> versions(SearchSettings settings) throws IOException, InterruptedException {
    Map<String, Long> versions = new TreeMap<>();
    for (Object hit : hits(settings, true)) {
      versions.put(SearchHttp.text(hit, "_id"), SearchHttp.whole(hit, "_version", -1));
    }
    return versions;
  }

  private static List<?> hits(SearchSettings settings, boolean version) throws IOException, InterruptedException {
    String auth = settings.authorization();
    String index = "/" + encode(settings.index());
    HttpResponse<String> refreshed =
        send(
            settings,
            SearchHttp.request(settings, index + "/_refresh", auth).POST(HttpRequest.BodyPublishers.noBody()).build());
    check(settings, "refresh", refreshed);
    String query =
        "{\"size\":" + MAX_DOCUMENTS + ",\"track_total_hits\":true,\"version\":" + version
            + ",\"sort\":[\"_doc\"],\"query\":{\"match_all\":{}}}";
    HttpResponse<String> r =
        send(
            settings,
            SearchHttp.request(settings, index + "/_search", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query, StandardCharsets.UTF_8))
                .build());
    check(settings, "search", r);
    Object hits = SearchHttp.member(JsonReader.parse(r.body()), "hits");
    long total = SearchHttp.whole(SearchHttp.member(hits, "total"), "value", -1);
    if (total > MAX_DOCUMENTS) {
      throw new IOException(
          "index " + settings.index() + " holds " + total + " documents; documents() reads at most " + MAX_DOCUMENTS);
    }
    Object list = SearchHttp.member(hits, "hits");
    if (!(list instanceof List)) {
      throw new IOException("unexpected search response: " + SearchHttp.excerpt(r.body()));
    }
    return (List<?>) list;
  }

  private static void check(SearchSettings settings, String what, HttpResponse<String> r) throws IOException {
    if (r.statusCode() < 200 || r.statusCode() > 299) {
      throw new IOException(
          "could not " + what + " index " + settings.index() + " at " + settings.url() + ": " + r.statusCode()
              + " " + SearchHttp.excerpt(r.body()));
    }
  }

  private static HttpResponse<String> send(SearchSettings settings, HttpRequest request)
      throws IOException, InterruptedException {
    HttpClient client = SearchHttp.client(settings);
    return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String encode(String index) {
    return URLEncoder.encode(index, StandardCharsets.UTF_8);
  }
}
