package dev.storyboard.inference.session;

/**
 * How an operation samples its shot's new frames, chosen once per session by {@link ContextMode}. Production:
 * {@link ChunkCausalFlow} streams them chunk by chunk; the ablation {@link ContextCausalFlow} denoises a new shot as
 * one segment.
 */
interface ShotFlow {

    /** Samples every frame of the operation's shot, delivers them chunk by chunk and appends them to its context. */
    void generate(ShotOperation op);

    /**
     * Samples the frames from {@code from} to the end of the operation's shot after its final frames; its working
     * entry's cache holds its cached chunks, and after the call the shot's K/V to keep (null = none).
     */
    void extend(ShotOperation op, int from);
}
