package dev.storyboard.inference.service;

import dev.storyboard.inference.model.BundledModel;
import dev.storyboard.inference.session.ChunkGuidance;
import dev.storyboard.inference.session.ContextMode;
import dev.storyboard.inference.session.ContinuationStart;
import dev.storyboard.inference.session.LongContextPolicy;
import dev.storyboard.inference.session.SeamBlending;
import dev.storyboard.inference.session.ShotNoisePrior;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of {@link LocalGenerationService}.
 *
 * @param cacheDir          root of the on-disk generation cache (null = memory only)
 * @param maxSecondsPerTake longest take, in seconds at the model's fps (requests beyond are rejected)
 * @param threads           intra-op threads of the PyTorch engine (0 = the engine's default)
 * @param extensionsFirst   a queued extension (interactive drag) runs before queued new takes
 * @param contextMode       how the session caches shots and denoises (see {@link ContextMode})
 * @param longContext       long-context policy
 * @param truncateLongPrompts false (default): a prompt with more tokens than the model reads (l_txt, with
 *                          camera and framing phrases) is a validation error; true: its tail is cut silently
 * @param chunkGuidance     which chunks of a streamed shot guidance acts on (see {@link ChunkGuidance})
 * @param seamBlending      how seams between a shot's chunks are sampled (see {@link SeamBlending}; default
 *                          {@link SeamBlending#NONE}, plain causal chunks)
 * @param noisePrior        the {@link ShotNoisePrior} new frames start from; empty (the default) = the model's
 * @param continuationStart where targets that continue their shot start ({@link ContinuationStart}); empty (the
 *                          default) = the model's
 */
public record ServiceSettings(Path cacheDir, int maxSecondsPerTake, int threads, boolean extensionsFirst,
                              ContextMode contextMode, LongContextPolicy longContext, boolean truncateLongPrompts,
                              ChunkGuidance chunkGuidance, SeamBlending seamBlending,
                              Optional<ShotNoisePrior> noisePrior, Optional<ContinuationStart> continuationStart) {
    public ServiceSettings {
        if (maxSecondsPerTake <= 0) {
            throw new IllegalArgumentException("maxSecondsPerTake must be > 0");
        }
        Objects.requireNonNull(chunkGuidance, "chunkGuidance");
        Objects.requireNonNull(seamBlending, "seamBlending");
        Objects.requireNonNull(noisePrior, "noisePrior");
        Objects.requireNonNull(continuationStart, "continuationStart");
    }

    /** Cache under {@code ~/.cache/storyboard/generations}, 60 s per take, extensions first, streaming. */
    public static ServiceSettings defaults() {
        return new ServiceSettings(BundledModel.defaultCacheRoot().resolve("generations"), 60, 0, true,
                ContextMode.CHUNK_CAUSAL, LongContextPolicy.defaults(), false, ChunkGuidance.FIRST_CHUNK,
                SeamBlending.NONE, Optional.empty(), Optional.empty());
    }

    public ServiceSettings withCacheDir(Path dir) {
        return new ServiceSettings(dir, maxSecondsPerTake, threads, extensionsFirst, contextMode, longContext, truncateLongPrompts, chunkGuidance,
                seamBlending, noisePrior, continuationStart);
    }

    public ServiceSettings withMaxSecondsPerTake(int seconds) {
        return new ServiceSettings(cacheDir, seconds, threads, extensionsFirst, contextMode, longContext, truncateLongPrompts, chunkGuidance,
                seamBlending, noisePrior, continuationStart);
    }

    public ServiceSettings withTruncateLongPrompts(boolean truncate) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, extensionsFirst, contextMode, longContext, truncate, chunkGuidance, seamBlending, noisePrior, continuationStart);
    }

    public ServiceSettings withExtensionsFirst(boolean first) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, first, contextMode, longContext, truncateLongPrompts, chunkGuidance,
                seamBlending, noisePrior, continuationStart);
    }

    public ServiceSettings withChunkGuidance(ChunkGuidance guidance) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, extensionsFirst, contextMode, longContext,
                truncateLongPrompts, guidance, seamBlending, noisePrior, continuationStart);
    }

    public ServiceSettings withContextMode(ContextMode mode) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, extensionsFirst, mode, longContext, truncateLongPrompts, chunkGuidance,
                seamBlending, noisePrior, continuationStart);
    }

    public ServiceSettings withSeamBlending(SeamBlending blending) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, extensionsFirst, contextMode, longContext,
                truncateLongPrompts, chunkGuidance, blending, noisePrior, continuationStart);
    }

    /** New frames start from this noise prior instead of the model's ({@code config.json → sampler.noise_correlation}). */
    public ServiceSettings withNoisePrior(ShotNoisePrior prior) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, extensionsFirst, contextMode, longContext,
                truncateLongPrompts, chunkGuidance, seamBlending, Optional.of(prior), continuationStart);
    }

    /** Targets that continue their shot start here instead of the model's ({@code config.json → sampler.continuation_start}). */
    public ServiceSettings withContinuationStart(ContinuationStart start) {
        return new ServiceSettings(cacheDir, maxSecondsPerTake, threads, extensionsFirst, contextMode, longContext,
                truncateLongPrompts, chunkGuidance, seamBlending, noisePrior, Optional.of(start));
    }
}
