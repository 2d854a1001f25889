package dev.stallwatch.pipeline.search;

import dev.stallwatch.text.JsonWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The HTTP and JSON pieces the writer and {@link SearchIndexes} share. */
final class SearchHttp {
  private SearchHttp() {}

  /**
   * A client for the node: HTTP/1.1 (the engines speak no cleartext HTTP/2, and an upgrade offer
   * only costs a round trip), connecting for at most 10 s or the request timeout if shorter.
   */
  static HttpClient client(SearchSettings s) {
    long connectMillis = Math.min(10_000, s.requestTimeout().getMillis());
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(connectMillis))
        .build();
  }

  /** A request to {@code pathAndQuery} (starting with /) of the node, authenticated when {@code authorization} is set. */
  static HttpRequest.Builder request(SearchSettings s, String pathAndQuery, String authorization) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.url() + pathAndQuery))
            .timeout(Duration.ofMillis(s.requestTimeout().getMillis()))
            .header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  /** At most 500 characters of a response body, for messages. */
  static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String oneLine = body.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() > 500 ? oneLine.substring(0, 500) + "..." : oneLine;
  }

  /**
   * Writes a tree of {@link dev.stallwatch.text.JsonReader#parse} back as compact JSON: members in
   * their order, numbers as they were read.
   */
  static String toJson(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb);
    return sb.toString();
  }

  private static void write(Object value, StringBuilder sb) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String) {
      JsonWriter.quote((String) value, sb);
    } else if (value instanceof BigDecimal || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Map) {
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        JsonWriter.quote((String) e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append('}');
    } else if (value instanceof List) {
      sb.append('[');
      List<?> list = (List<?>) value;
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(list.get(i), sb);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON tree value: " + value.getClass());
    }
  }

  /** The member {@code name} of {@code tree} if it is an object, else null. */
  static Object member(Object tree, String name) {
    return tree instanceof Map ? ((Map<?, ?>) tree).get(name) : null;
  }

  /** The text of the string member {@code name}, or null. */
  static String text(Object tree, String name) {
    Object v = member(tree, name);
    return v instanceof String ? (String) v : null;
  }

  /** The whole number member {@code name}, or {@code otherwise}. */
  static long whole(Object tree, String name, long otherwise) {
    Object v = member(tree, name);
    if (v instanceof BigDecimal) {
      try {
        return ((BigDecimal) v).longValueExact();
      } catch (ArithmeticException e) {
        return otherwise;
      }
    }
    return otherwise;
  }
}
