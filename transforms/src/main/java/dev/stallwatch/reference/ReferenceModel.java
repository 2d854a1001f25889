package dev.stallwatch.reference;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.Stall;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.parse.IdMasking;
import dev.stallwatch.parse.RowParser;
import dev.stallwatch.text.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC.md in plain, single-threaded Java, written straight from its sentences and kept apart from
 * the Beam transforms: the tests hold the pipeline to it (as Nexmark pairs each query with a
 * model), and the benchmark uses it as the floor.
 *
 * <p>It reads a whole finite input, so it answers what a backfill must answer.
 */
public final class ReferenceModel {
  private final StallConfig config;
  private final Blacklist blacklist;
  private final ChannelNames channels;

  private ReferenceModel(StallConfig config, Blacklist blacklist, ChannelNames channels) {
    this.config = config;
    this.blacklist = blacklist;
    this.channels = channels;
  }

  public static ReferenceModel of(StallConfig config) {
    return new ReferenceModel(config, Blacklist.empty(), ChannelNames.empty());
  }

  public ReferenceModel withBlacklist(Blacklist b) {
    return new ReferenceModel(config, b, channels);
  }

  public ReferenceModel withChannels(ChannelNames c) {
    return new ReferenceModel(config, blacklist, c);
  }

  /** What a run over some rows gives: alerts, dead letters and the counts of each step. */
  public static final class Result {
    public final List<Alert> alerts = new ArrayList<>();
    public final List<BadRecord> deadLetters = new ArrayList<>();
    public final List<Stall> stalls = new ArrayList<>();
    public long rowsRead;
    public long duplicates;
    public final Map<String, Long> suppressedBlacklist = new LinkedHashMap<>();
    public final Map<String, Long> suppressedSendWindow = new LinkedHashMap<>();
    public final Map<String, Long> suppressedOncePerPeriod = new LinkedHashMap<>();
  }

  /** SPEC §1: parse every non-blank row; unusable rows become dead letters. */
  public Result run(List<RawRow> rows) {
    Result result = new Result();
    RowParser parser = new RowParser(config.zone());
    List<Event> events = new ArrayList<>();
    for (RawRow row : rows) {
      if (Text.isBlank(row.text())) {
        continue;
      }
      result.rowsRead++;
      try {
        events.add(parser.parse(row));
      } catch (RowParser.BadRowException e) {
        result.deadLetters.add(BadRecord.of(IdMasking.mask(row), row.origin(), e.getMessage()));
      }
    }
    runEvents(events, result);
    return result;
  }

  private void runEvents(List<Event> parsed, Result result) {
    for (Route route : config.routes()) {
      result.suppressedBlacklist.put(route.name(), 0L);
      result.suppressedSendWindow.put(route.name(), 0L);
      result.suppressedOncePerPeriod.put(route.name(), 0L);
    }
    // SPEC §1: exact duplicates count once; of copies that differ in other fields, the smallest
    // by SPEC's list of fields counts (v1.1), whatever the order they came in.
    Map<String, Event> counted = new LinkedHashMap<>();
    for (Event e : parsed) {
      Event other = counted.putIfAbsent(e.duplicateKey(), e);
      if (other != null) {
        result.duplicates++;
        if (copyOrder(e, other) < 0) {
          counted.put(e.duplicateKey(), e);
        }
      }
    }
    // SPEC §2: applicants by (mobile, user_id); §3: classes from the catalog.
    Map<String, List<Event>> byApplicant = new LinkedHashMap<>();
    for (Event e : counted.values()) {
      Event classified = e.withStepClass(config.catalog().classify(e));
      byApplicant.computeIfAbsent(e.applicantKey(), k -> new ArrayList<>()).add(classified);
    }
    // SPEC §4: e is a stall when the next event is at least its rule's gap later, or absent.
    for (List<Event> journey : byApplicant.values()) {
      journey.sort(Event.SPEC_ORDER);
      for (int i = 0; i < journey.size(); i++) {
        Event e = journey.get(i);
        Rule rule = config.ruleFor(e.stepClass());
        if (rule == null) {
          continue;
        }
        boolean last = i + 1 == journey.size();
        if (last
            || journey.get(i + 1).eventMillis() - e.eventMillis() >= rule.gap().getMillis()) {
          result.stalls.add(Stall.of(e, rule));
        }
      }
    }
    // SPEC §5: offer each stall to each route.
    Map<String, Alert> kept = new LinkedHashMap<>();
    for (Stall stall : result.stalls) {
      Rule rule = config.rule(stall.rule());
      for (Route route : config.routes()) {
        if (route.excludesBlacklisted() && blacklist.matches(stall.event())) {
          result.suppressedBlacklist.merge(route.name(), 1L, Long::sum);
          continue;
        }
        long occur = stall.deadlineMillis();
        if (config.sendWindow().isPresent()) {
          occur = config.sendWindow().get().apply(occur, config.zone());
          if (occur == SendWindow.DROPPED) {
            result.suppressedSendWindow.merge(route.name(), 1L, Long::sum);
            continue;
          }
        }
        Alert alert =
            Alert.of(
                stall, route, rule, config.catalog().get(stall.event().stepClass()), occur, config.zone());
        String key =
            route.name()
                + "|"
                + alert.mobile()
                + "|"
                + config.oncePer().periodOf(occur, config.zone());
        Alert other = kept.get(key);
        if (other == null) {
          kept.put(key, alert);
        } else {
          result.suppressedOncePerPeriod.merge(route.name(), 1L, Long::sum);
          if (Alert.EARLIEST_FIRST.compare(alert, other) < 0) {
            kept.put(key, alert);
          }
        }
      }
    }
    for (Alert a : kept.values()) {
      result.alerts.add(a.withChannelName(channels.nameOf(a.channelCode())));
    }
  }

  /**
   * SPEC §1 (v1.1): two exact duplicates' fields compared as trimmed strings, by Unicode code
   * point, in SPEC's order; the smaller copy counts.
   */
  private static int copyOrder(Event a, Event b) {
    List<java.util.function.Function<Event, String>> fields =
        List.of(
            Event::businessFlag, Event::userId, Event::requestNo, Event::clientName, Event::idNo, Event::birthday,
            Event::branchNo, Event::channelCode, Event::fundAccount, Event::recommender);
    for (java.util.function.Function<Event, String> field : fields) {
      int c = java.util.Arrays.compare(field.apply(a).codePoints().toArray(), field.apply(b).codePoints().toArray());
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
