package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.parse.DimensionCsv;
import dev.stallwatch.pipeline.options.DimensionOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The dimension files ({@code --blacklist}, {@code --channels}), read on the launching machine. */
public final class DimensionFiles {
  private DimensionFiles() {}

  public static Blacklist blacklist(DimensionOptions options) {
    String file = options.getBlacklist();
    if (file == null) {
      return Blacklist.empty();
    }
    try {
      return DimensionCsv.blacklist(lines("--blacklist", file), file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage() : "--blacklist: " + e.getMessage());
    }
  }

  public static ChannelNames channels(DimensionOptions options) {
    String file = options.getChannels();
    if (file == null) {
      return ChannelNames.empty();
    }
    try {
      return DimensionCsv.channels(lines("--channels", file), file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage() : "--channels: " + e.getMessage());
    }
  }

  private static List<String> lines(String option, String file) {
    try {
      return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file);
    }
  }
}
