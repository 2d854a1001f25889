package dev.stallwatch.transforms;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.Rule;
import dev.stallwatch.domain.SendWindow;
import dev.stallwatch.domain.Stall;
import dev.stallwatch.domain.StallConfig;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC §1–§5 over every row of a bucket of mobiles, when all of them are known (a backfill): each
 * applicant's events in SPEC order, exact duplicates reduced to the copy that counts, a stall
 * wherever the next event is at least the rule's gap later or there is none, each stall offered to
 * the routes, and one alert kept per route, mobile and period. A bucket holds every applicant of
 * its mobiles, so the once-per-period choice is complete inside it.
 *
 * <p>This is the batch engine's own code, not the reference model's: the tests hold both it and
 * the session-window graph to the model.
 */
final class BucketPass {
  /** What a pass counts, per route where a route is named. */
  static final class Counts {
    long duplicates;
    long stalls;
    /** Stalls by the step class they happened at. */
    final Map<String, Long> stallsAt = new HashMap<>();
    final Map<String, Long> alerts = new HashMap<>();
    final Map<String, Long> blacklisted = new HashMap<>();
    final Map<String, Long> outsideWindow = new HashMap<>();
    final Map<String, Long> oncePerPeriod = new HashMap<>();

    private static void add(Map<String, Long> m, String route) {
      m.merge(route, 1L, Long::sum);
    }
  }

  /**
   * What a pass saw beyond its alerts, for the funnel report: each applicant's counted events in
   * SPEC order, each stall, and each alert a route did not send, with the reason and the time it
   * would have had. {@link #NONE} for a backfill.
   */
  interface Observer {
    Observer NONE = new Observer() {};

    /** One applicant's events, exact duplicates removed, in SPEC order, before its stalls. */
    default void journey(List<Event> counted) {}

    /** A stall at {@code counted.get(index)} of the journey last given, under {@code rule}. */
    default void stall(int index, Stall stall, Rule rule) {}

    /** An alert {@code route} did not send for {@code reason}, at {@code millis} (its occur time, or the deadline). */
    default void suppressed(String route, Suppression reason, long millis) {}
  }

  /** Why a route sent no alert for a stall (SPEC §5). */
  enum Suppression {
    BLACKLIST,
    SEND_WINDOW,
    ONCE_PER_PERIOD
  }

  private final StallConfig config;
  private final Blacklist blacklist;
  private final ChannelNames channels;
  private final ZoneId zone;

  BucketPass(StallConfig config, Blacklist blacklist, ChannelNames channels) {
    this.config = config;
    this.blacklist = blacklist;
    this.channels = channels;
    this.zone = config.zone();
  }

  /** The alerts of {@code events} (every row of some mobiles, parsed), counting into {@code counts}. */
  List<Alert> run(Iterable<Event> events, Counts counts) {
    return run(events, counts, Observer.NONE);
  }

  /** {@link #run(Iterable, Counts)}, telling {@code observer} what it sees. */
  List<Alert> run(Iterable<Event> events, Counts counts, Observer observer) {
    Map<String, List<Event>> byApplicant = new HashMap<>();
    for (Event e : events) {
      Event classified = e.withStepClass(config.catalog().classify(e));
      byApplicant.computeIfAbsent(classified.applicantKey(), k -> new ArrayList<>()).add(classified);
    }
    Map<String, Alert> kept = new LinkedHashMap<>();
    for (List<Event> journey : byApplicant.values()) {
      journey.sort(Event.SPEC_ORDER);
      List<Event> counted = countedCopies(journey, counts);
      observer.journey(counted);
      for (int i = 0; i < counted.size(); i++) {
        Event e = counted.get(i);
        Rule rule = config.ruleFor(e.stepClass());
        if (rule == null) {
          continue;
        }
        boolean last = i + 1 == counted.size();
        if (last || counted.get(i + 1).eventMillis() - e.eventMillis() >= rule.gap().getMillis()) {
          counts.stalls++;
          Counts.add(counts.stallsAt, e.stepClass());
          Stall stall = Stall.of(e, rule);
          observer.stall(i, stall, rule);
          offer(stall, rule, kept, counts, observer);
        }
      }
    }
    List<Alert> alerts = new ArrayList<>(kept.size());
    for (Alert a : kept.values()) {
      Counts.add(counts.alerts, a.route());
      alerts.add(a.withChannelName(channels.nameOf(a.channelCode())));
    }
    return alerts;
  }

  /**
   * A journey in SPEC order without its exact duplicates: copies are neighbours in that order, and
   * the one that counts (SPEC §1) is the last of them.
   */
  private static List<Event> countedCopies(List<Event> journey, Counts counts) {
    List<Event> counted = new ArrayList<>(journey.size());
    for (int i = 0; i < journey.size(); i++) {
      Event e = journey.get(i);
      if (i + 1 < journey.size() && sameRow(e, journey.get(i + 1))) {
        counts.duplicates++;
        continue;
      }
      counted.add(e);
    }
    return counted;
  }

  /** SPEC §1's exact duplicates, within one applicant. */
  private static boolean sameRow(Event a, Event b) {
    return a.eventMillis() == b.eventMillis()
        && a.businessFlag().equals(b.businessFlag())
        && a.requestNo().equals(b.requestNo())
        && a.requestStatus().equals(b.requestStatus());
  }

  /** SPEC §5: the stall on each route, past the blacklist and send window, earliest per slot. */
  private void offer(Stall stall, Rule rule, Map<String, Alert> kept, Counts counts, Observer observer) {
    boolean listed = blacklist.matches(stall.event());
    long occur = stall.deadlineMillis();
    SendWindow window = config.sendWindow().orElse(null);
    if (window != null) {
      occur = window.apply(occur, zone);
    }
    for (Route route : config.routes()) {
      if (route.excludesBlacklisted() && listed) {
        Counts.add(counts.blacklisted, route.name());
        observer.suppressed(route.name(), Suppression.BLACKLIST, occur == SendWindow.DROPPED ? stall.deadlineMillis() : occur);
        continue;
      }
      if (occur == SendWindow.DROPPED) {
        Counts.add(counts.outsideWindow, route.name());
        observer.suppressed(route.name(), Suppression.SEND_WINDOW, stall.deadlineMillis());
        continue;
      }
      Alert alert = Alert.of(stall, route, rule, config.catalog().get(stall.event().stepClass()), occur, zone);
      String slot = route.name() + '\u0001' + alert.mobile() + '\u0001' + config.oncePer().periodOf(occur, zone);
      Alert other = kept.get(slot);
      if (other == null) {
        kept.put(slot, alert);
      } else {
        Counts.add(counts.oncePerPeriod, route.name());
        if (Alert.EARLIEST_FIRST.compare(alert, other) < 0) {
          kept.put(slot, alert);
          observer.suppressed(route.name(), Suppression.ONCE_PER_PERIOD, other.occurMillis());
        } else {
          observer.suppressed(route.name(), Suppression.ONCE_PER_PERIOD, alert.occurMillis());
        }
      }
    }
  }
}
