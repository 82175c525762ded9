package dev.storyboard.inference.session;

/**
 * Deterministic standard-normal noise, generated in Java so a seed gives the same frames on every
 * machine and engine (PyTorch's CPU and CUDA generators differ).
 *
 * <p>Algorithm (stable, part of the "same seed → same frames" promise):
 * <ul>
 *   <li>every latent frame f of a take draws from its own SplitMix64 stream (Steele, Lea, Flood 2014),
 *       seeded with {@code mix(seed, purpose, f)} where mix is SplitMix64's finaliser applied to
 *       {@code seed ⊕ (purpose · 0x9E3779B97F4A7C15) ⊕ (f · 0xC2B2AE3D27D4EB4F)};</li>
 *   <li>uniforms are the top 53 bits of each 64-bit output, u ∈ (0, 1] (so log is finite);</li>
 *   <li>normals come in pairs by Box–Muller: √(−2 ln u1)·cos(2π u2), √(−2 ln u1)·sin(2π u2),
 *       computed in double and rounded to float32.</li>
 * </ul>
 * Because every frame has its own stream, the noise of frame f does not depend on how frames are
 * grouped into chunks, nor on how many frames were generated before: extending a take by N frames
 * draws the same noise as generating those frames in one go.
 */
public final class GaussianNoise {
    /** What the noise is for; part of the stream key. */
    public enum Purpose {
        /** x at t = 1, the start of sampling. */
        INITIAL(1),
        /** ε used to re-noise a finished shot to t_c before caching it as context. */
        CONTEXT(2),
        /**
         * Not normals: the per-step random split of a chunk seam's overlap ({@link SeamBlend}), keyed by the chunk's
         * first new frame.
         */
        SEAM_SPLIT(3),
        /** The shared part of a shot's initial noise ({@link ShotNoisePrior}): one frame of normals, keyed by frame 0. */
        SHOT_SHARED(4),
        /**
         * The canvas a moving camera's shared noise is read from ({@link SharedNoise}): channels × 2H × 2W normals,
         * keyed by frame 0.
         */
        SHOT_CANVAS(5);

        final long id;

        Purpose(long id) {
            this.id = id;
        }
    }

    private GaussianNoise() {
    }

    /** Normals for latent frames [firstFrame, firstFrame + frames), each {@code frameSize} floats, frame-major. */
    public static float[] frames(long seed, Purpose purpose, int firstFrame, int frames, int frameSize) {
        float[] out = new float[frames * frameSize];
        for (int f = 0; f < frames; f++) {
            fill(seed, purpose, firstFrame + f, out, f * frameSize, frameSize);
        }
        return out;
    }

    /**
     * {@code count} integers uniform in [0, bound] from frame {@code frame}'s stream of the purpose: the top 53 bits of
     * each output scaled to [0, 1), times bound + 1, rounded down.
     */
    static int[] integers(long seed, Purpose purpose, int frame, int count, int bound) {
        long state = streamSeed(seed, purpose, frame);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            state += 0x9E3779B97F4A7C15L;
            out[i] = (int) (((mix(state) >>> 11) * 0x1.0p-53) * (bound + 1));
        }
        return out;
    }

    private static void fill(long seed, Purpose purpose, int frame, float[] out, int offset, int n) {
        long state = streamSeed(seed, purpose, frame);
        for (int i = 0; i < n; i += 2) {
            state += 0x9E3779B97F4A7C15L;
            double u1 = uniform(mix(state));
            state += 0x9E3779B97F4A7C15L;
            double u2 = uniform(mix(state));
            double r = Math.sqrt(-2.0 * Math.log(u1));
            double a = 2.0 * Math.PI * u2;
            out[offset + i] = (float) (r * Math.cos(a));
            if (i + 1 < n) {
                out[offset + i + 1] = (float) (r * Math.sin(a));
            }
        }
    }

    /** The state a (seed, purpose, frame) stream starts from. */
    private static long streamSeed(long seed, Purpose purpose, int frame) {
        return mix(seed ^ (purpose.id * 0x9E3779B97F4A7C15L) ^ (frame * 0xC2B2AE3D27D4EB4FL));
    }

    /** 53 random bits → (0, 1]. */
    private static double uniform(long bits) {
        return ((bits >>> 11) + 1) * 0x1.0p-53;
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
