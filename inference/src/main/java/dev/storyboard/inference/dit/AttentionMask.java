package dev.storyboard.inference.dit;

/**
 * Which key a query may attend, from per-token (shot, chunk) ids (docs/STORYDIT.md §5, {@code masks.py}).
 * The global caption is shot −1 and therefore visible to everyone; a shot's text is chunk 0 of that shot.
 * Every token always sees itself, so no row is empty.
 */
public sealed interface AttentionMask permits AttentionMask.SceneFull, AttentionMask.ContextCausal, AttentionMask.ChunkCausal {

    /** True when query (qShot, qChunk) may attend key (kShot, kChunk). */
    boolean allows(int qShot, int qChunk, int kShot, int kChunk);

    /** The name used in the reference code and the fixtures. */
    String modeName();

    /** Every pair attends: the bidirectional scene (stage 1). */
    record SceneFull() implements AttentionMask {
        @Override
        public boolean allows(int qShot, int qChunk, int kShot, int kChunk) {
            return true;
        }

        @Override
        public String modeName() {
            return "scene_full";
        }
    }

    /** Whole shots attend themselves and earlier shots: {@code shot(k) ≤ shot(q)}. */
    record ContextCausal() implements AttentionMask {
        @Override
        public boolean allows(int qShot, int qChunk, int kShot, int kChunk) {
            return kShot <= qShot;
        }

        @Override
        public String modeName() {
            return "context_causal";
        }
    }

    /** Earlier shots, plus earlier-or-same chunks of the own shot: {@code shot(k) < shot(q) ∨ (= ∧ chunk(k) ≤ chunk(q))}. */
    record ChunkCausal() implements AttentionMask {
        @Override
        public boolean allows(int qShot, int qChunk, int kShot, int kChunk) {
            return kShot < qShot || (kShot == qShot && kChunk <= qChunk);
        }

        @Override
        public String modeName() {
            return "chunk_causal";
        }
    }

    AttentionMask SCENE_FULL = new SceneFull();
    AttentionMask CONTEXT_CAUSAL = new ContextCausal();
    AttentionMask CHUNK_CAUSAL = new ChunkCausal();

    static AttentionMask forMode(String mode) {
        return switch (mode) {
            case "scene_full" -> SCENE_FULL;
            case "context_causal" -> CONTEXT_CAUSAL;
            case "chunk_causal" -> CHUNK_CAUSAL;
            default -> throw new IllegalArgumentException("unknown mask mode '" + mode
                    + "' (expected scene_full, context_causal or chunk_causal)");
        };
    }

    /** allow[q][k] as a row-major boolean matrix (Nq × Nk). */
    default boolean[] allowMatrix(TokenIds queries, TokenIds keys) {
        int nq = queries.size();
        int nk = keys.size();
        boolean[] allow = new boolean[nq * nk];
        for (int q = 0; q < nq; q++) {
            for (int k = 0; k < nk; k++) {
                allow[q * nk + k] = allows(queries.shot()[q], queries.chunk()[q], keys.shot()[k], keys.chunk()[k]);
            }
        }
        return allow;
    }

    /** True when every query sees every key (the forward may skip the mask entirely). */
    default boolean allowsAll(TokenIds queries, TokenIds keys) {
        for (boolean b : allowMatrix(queries, keys)) {
            if (!b) {
                return false;
            }
        }
        return true;
    }
}
