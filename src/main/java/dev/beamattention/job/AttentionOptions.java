package dev.beamattention.job;

import org.apache.beam.sdk.options.StreamingOptions;

/**
 * The job's command line, in groups: input, weights, output, word-vector table, and watching a
 * folder, which {@code --streaming} (from {@link StreamingOptions}) turns on.
 */
public interface AttentionOptions
    extends InputOptions,
        WeightsOptions,
        OutputOptions,
        TableOptions,
        WatchOptions,
        StreamingOptions {}
