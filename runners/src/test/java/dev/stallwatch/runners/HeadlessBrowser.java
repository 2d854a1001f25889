package dev.stallwatch.runners;

import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium of the test's own, driven over the Chrome DevTools Protocol on a WebSocket,
 * so that a page can be checked as a browser draws it: its console errors and exceptions, the
 * requests it makes, values a script reads from it, and a screenshot.
 *
 * <p>The browser runs with a profile in a directory of the caller's, on a port it picks itself
 * (read from the {@code DevToolsActivePort} file it writes there); everything it prints goes to
 * {@code chromium.log} beside the profile. One page (a target of its own, attached in flat mode so
 * that the browser's one connection carries the page's commands and events) is used throughout.
 * {@link #close} ends the browser and every process it started.
 */
final class HeadlessBrowser implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration COMMAND = Duration.ofSeconds(60);

  private final Process process;
  private final List<ProcessHandle> tree = new ArrayList<>();
  private final Path log;
  private final WebSocket socket;
  private final String session;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> events = new ArrayList<>();

  private HeadlessBrowser(Process process, Path log, URI endpoint) throws IOException, InterruptedException {
    this.process = process;
    this.log = log;
    try {
      this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(endpoint, new Listener())
          .get(START.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not connect to the browser at " + endpoint + ": " + e + logTail(), e);
    }
    String target = (String) send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId");
    this.session = (String) send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId");
    send("Page.enable", Map.of());
    send("Runtime.enable", Map.of());
    send("Log.enable", Map.of());
    send("Network.enable", Map.of());
  }

  /** Debian's {@code chromium} (or {@code chromium-browser}) on PATH, else /usr/bin/chromium. */
  static Optional<Path> executable() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "chromium"));
          candidates.add(Path.of(dir, "chromium-browser"));
        }
      }
    }
    candidates.add(Path.of("/usr/bin/chromium"));
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /** Starts {@code chromium} with its profile and log in {@code dir}, and opens a blank page. */
  static HeadlessBrowser start(Path chromium, Path dir) throws IOException, InterruptedException {
    Path profile = Files.createDirectories(dir.resolve("profile"));
    Path log = dir.resolve("chromium.log");
    Process process = new ProcessBuilder(
            chromium.toString(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--mute-audio",
            "--window-size=1280,900",
            "about:blank")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    try {
      return new HeadlessBrowser(process, log, endpoint(process, profile, log));
    } catch (IOException | InterruptedException | RuntimeException e) {
      kill(process);
      throw e;
    }
  }

  /** The browser's WebSocket address, from the file it writes in its profile or from its log. */
  private static URI endpoint(Process process, Path profile, Path log) throws IOException, InterruptedException {
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(portFile)) {
        List<String> lines = Files.readAllLines(portFile, StandardCharsets.UTF_8);
        if (lines.size() >= 2 && lines.get(0).matches("[0-9]+") && lines.get(1).startsWith("/")) {
          return URI.create("ws://127.0.0.1:" + lines.get(0) + lines.get(1));
        }
      }
      if (Files.isRegularFile(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
          int at = line.indexOf("DevTools listening on ws://");
          if (at >= 0) {
            return URI.create(line.substring(at + "DevTools listening on ".length()).trim());
          }
        }
      }
      if (!process.isAlive()) {
        throw new IOException("chromium ended with exit code " + process.exitValue() + " before it listened" + tail(log));
      }
      Thread.sleep(50);
    }
    throw new IOException("chromium did not listen within " + START.toSeconds() + " s" + tail(log));
  }

  /** Opens {@code url} and waits until its load event has fired. */
  void open(URI url) throws IOException, InterruptedException {
    int seen;
    synchronized (events) {
      seen = events.size();
    }
    Map<String, Object> result = send("Page.navigate", Map.of("url", url.toString()));
    if (result.get("errorText") != null) {
      throw new IOException("could not open " + url + ": " + result.get("errorText"));
    }
    long deadline = System.nanoTime() + COMMAND.toNanos();
    synchronized (events) {
      while (true) {
        for (int i = seen; i < events.size(); i++) {
          Map<String, Object> e = events.get(i);
          if ("Page.loadEventFired".equals(e.get("method")) && session.equals(e.get("sessionId"))) {
            return;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException(url + " did not load within " + COMMAND.toSeconds() + " s");
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * The value of {@code expression} in the page (a promise is awaited), as {@link JsonReader}
   * reads JSON: maps, lists, strings, {@link BigDecimal}s, booleans and nulls.
   */
  Object evaluate(String expression) throws IOException, InterruptedException {
    Map<String, Object> result = send("Runtime.evaluate",
        Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.get("exceptionDetails") != null) {
      throw new IOException("the script failed: " + JsonText.of(result.get("exceptionDetails")));
    }
    return object(result.get("result")).get("value");
  }

  /** A PNG of the whole page: the viewport is first made as large as the document. */
  byte[] screenshot() throws IOException, InterruptedException {
    Map<String, Object> metrics = send("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = object(metrics.containsKey("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize"));
    int width = (int) Math.ceil(((BigDecimal) size.get("width")).doubleValue());
    int height = (int) Math.ceil(((BigDecimal) size.get("height")).doubleValue());
    send("Emulation.setDeviceMetricsOverride",
        Map.of("width", Math.max(width, 1), "height", Math.max(height, 1), "deviceScaleFactor", 1, "mobile", false));
    Map<String, Object> shot = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  /** The page's console errors, uncaught exceptions and logged errors so far, one text each. */
  List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> e : pageEvents()) {
      Map<String, Object> params = object(e.get("params"));
      switch ((String) e.get("method")) {
        case "Runtime.consoleAPICalled" -> {
          if ("error".equals(params.get("type")) || "assert".equals(params.get("type"))) {
            StringBuilder text = new StringBuilder("console." + params.get("type") + ":");
            for (Object arg : (List<?>) params.get("args")) {
              Map<String, Object> a = object(arg);
              text.append(' ').append(a.containsKey("value") ? a.get("value") : a.get("description"));
            }
            errors.add(text.toString());
          }
        }
        case "Runtime.exceptionThrown" -> {
          Map<String, Object> details = object(params.get("exceptionDetails"));
          Object description = object(details.get("exception")).get("description");
          errors.add("exception: " + (description != null ? description : details.get("text")));
        }
        case "Log.entryAdded" -> {
          Map<String, Object> entry = object(params.get("entry"));
          if ("error".equals(entry.get("level"))) {
            errors.add("log: " + entry.get("text") + (entry.get("url") == null ? "" : " (" + entry.get("url") + ")"));
          }
        }
        default -> {}
      }
    }
    return errors;
  }

  /** The addresses of every request the page made, in order. */
  List<String> requests() {
    List<String> urls = new ArrayList<>();
    for (Map<String, Object> e : pageEvents()) {
      if ("Network.requestWillBeSent".equals(e.get("method"))) {
        urls.add((String) object(object(e.get("params")).get("request")).get("url"));
      }
    }
    return urls;
  }

  private List<Map<String, Object>> pageEvents() {
    List<Map<String, Object>> mine = new ArrayList<>();
    synchronized (events) {
      events.forEach(e -> {
        if (session.equals(e.get("sessionId"))) {
          mine.add(e);
        }
      });
    }
    return mine;
  }

  /** Ends the browser: asks it to close, then kills it and every process it started. */
  @Override
  public void close() {
    try {
      tree.addAll(process.descendants().toList());
      CompletableFuture<Map<String, Object>> closed = request(null, "Browser.close", Map.of());
      closed.get(5, TimeUnit.SECONDS);
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // killed below in any case
    } finally {
      socket.abort();
      tree.forEach(ProcessHandle::destroyForcibly);
      kill(process);
    }
  }

  private static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, Object> send(String method, Map<String, Object> params) throws IOException, InterruptedException {
    return send(session, method, params);
  }

  private Map<String, Object> send(String sessionId, String method, Map<String, Object> params)
      throws IOException, InterruptedException {
    try {
      return request(sessionId, method, params).get(COMMAND.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(method + " failed: " + e.getCause().getMessage() + logTail(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(method + " had no answer within " + COMMAND.toSeconds() + " s" + logTail(), e);
    }
  }

  private CompletableFuture<Map<String, Object>> request(String sessionId, String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("id", id);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    message.put("method", method);
    message.put("params", params);
    synchronized (this) {
      socket.sendText(JsonText.of(message), true).join();
    }
    return answer;
  }

  private void received(String text) {
    Map<String, Object> message = object(JsonReader.parse(text));
    Object id = message.get("id");
    if (id != null) {
      CompletableFuture<Map<String, Object>> answer = pending.remove(((BigDecimal) id).intValue());
      if (answer != null) {
        if (message.get("error") != null) {
          answer.completeExceptionally(new IOException(JsonText.of(message.get("error"))));
        } else {
          answer.complete(message.get("result") == null ? Map.of() : object(message.get("result")));
        }
      }
    } else if (message.get("method") != null) {
      synchronized (events) {
        events.add(message);
        events.notifyAll();
      }
    }
  }

  private String logTail() {
    return tail(log);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return "; the end of chromium's log:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  /** Reads the messages, text frames that may come in parts, and hands each whole one on. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        String text = message.toString();
        message.setLength(0);
        received(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      pending.values().forEach(f -> f.completeExceptionally(new IOException("the browser closed the connection")));
      return null;
    }
  }

  /** JSON text of maps, lists, strings, numbers, booleans and nulls, for the protocol's messages. */
  static final class JsonText {
    private JsonText() {}

    static String of(Object value) {
      StringBuilder sb = new StringBuilder();
      append(value, sb);
      return sb.toString();
    }

    private static void append(Object value, StringBuilder sb) {
      if (value == null) {
        sb.append("null");
      } else if (value instanceof String s) {
        JsonWriter.quote(s, sb);
      } else if (value instanceof Number || value instanceof Boolean) {
        sb.append(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
      } else if (value instanceof Map<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          sb.append(first ? "" : ",");
          JsonWriter.quote(String.valueOf(e.getKey()), sb);
          sb.append(':');
          append(e.getValue(), sb);
          first = false;
        }
        sb.append('}');
      } else if (value instanceof List<?> list) {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          sb.append(i == 0 ? "" : ",");
          append(list.get(i), sb);
        }
        sb.append(']');
      } else {
        throw new IllegalArgumentException("not JSON: " + value.getClass().getSimpleName());
      }
    }
  }
}
