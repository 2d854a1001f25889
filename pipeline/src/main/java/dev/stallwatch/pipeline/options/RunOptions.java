package dev.stallwatch.pipeline.options;

/**
 * Options of {@code stallwatch run}, the streaming job: only the groups it is made of. The
 * embedded default adds its own (the replay) where the launcher hands it in.
 */
public interface RunOptions
    extends StallOptions,
        DimensionOptions,
        KafkaOptions,
        EventTimeOptions,
        ExactlyOnceOptions,
        JdbcOptions,
        ClockOptions,
        SubmitOptions {}
