package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.AttentionMask;

/** How a session caches finished shots and denoises a new one (both are stage-2 training modes). */
public enum ContextMode {
    /**
     * Default ({@link ChunkCausalFlow}). Caches are computed under the chunk_causal mask; a shot is denoised chunk by chunk (each
     * chunk attends to the cached earlier shots and the shot's earlier chunks at t_c), so each chunk is
     * decoded and shown as soon as it is done. Extension is the same operation continued.
     */
    CHUNK_CAUSAL(AttentionMask.CHUNK_CAUSAL),
    /**
     * The ablation ({@link ContextCausalFlow}). Caches are computed under the context_causal mask and a shot is
     * denoised as one segment (all its frames jointly); its chunks are decoded after the last step. Extending a
     * shot re-encodes that shot's own frames chunk-causally once per extension (earlier shots keep their
     * context_causal K/V).
     */
    CONTEXT_CAUSAL(AttentionMask.CONTEXT_CAUSAL);

    private final AttentionMask mask;

    ContextMode(AttentionMask mask) {
        this.mask = mask;
    }

    public AttentionMask mask() {
        return mask;
    }
}
