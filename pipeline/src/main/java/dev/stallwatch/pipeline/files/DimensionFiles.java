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
import java.util.function.BiFunction;

/** The dimension files ({@code --blacklist}, {@code --channels}), read on the launching machine. */
public final class DimensionFiles {
  private DimensionFiles() {}

  public static Blacklist blacklist(DimensionOptions options) {
    return read("--blacklist", options.getBlacklist(), DimensionCsv::blacklist, Blacklist.empty());
  }

  public static ChannelNames channels(DimensionOptions options) {
    return read("--channels", options.getChannels(), DimensionCsv::channels, ChannelNames.empty());
  }

  /** {@code file} ({@code option}) parsed by {@code parse}; {@code none} when it is not given. */
  private static <T> T read(String option, String file, BiFunction<List<String>, String, T> parse, T none) {
    if (file == null) {
      return none;
    }
    try {
      return parse.apply(lines(option, file), file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage() : option + ": " + e.getMessage());
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
