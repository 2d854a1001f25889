package dev.stallwatch.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.pipeline.jdbc.DimensionTables;
import dev.stallwatch.pipeline.jdbc.Dimensions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start line warns of an empty blacklist table, which the first load accepts as it is. */
class RunCommandStartLineTest {
  private static final DimensionTables TABLES = DimensionTables.defaults();

  @Test
  void anEmptyBlacklistTableAtStartIsWarnedOf() {
    Dimensions empty =
        Dimensions.of(Blacklist.of(List.of("110101199001011234"), List.of()), ChannelNames.empty())
            .withRows(Map.of("STALLWATCH_BLACKLIST", 0L, "STALLWATCH_EXISTING_CUSTOMER", 1L));
    String warning = RunCommand.emptyBlacklistWarning(TABLES, empty);
    assertTrue(warning.contains("WARNING: blacklist table STALLWATCH_BLACKLIST is empty"), warning);

    Dimensions filled =
        Dimensions.of(Blacklist.of(List.of(), List.of("13800000001")), ChannelNames.empty())
            .withRows(Map.of("STALLWATCH_BLACKLIST", 1L));
    assertEquals("", RunCommand.emptyBlacklistWarning(TABLES, filled));
    assertEquals("", RunCommand.emptyBlacklistWarning(TABLES.withBlacklist(null), empty));
  }
}
