package dev.storyboard.inference.session;

/**
 * Frames built by reading other frames pixel by pixel (frame-major, channel-major arrays): one frame repeated, or a
 * frame gathered through one source row per output row and one source column per output column. The shared noise
 * ({@link SharedNoise}) and the continuation anchor ({@link AnchorFrames}) read their frames this way.
 */
final class FrameReads {
    private FrameReads() {
    }

    /** {@code frame} repeated {@code frames} times. */
    static float[] repeat(float[] frame, int frames) {
        float[] out = new float[frames * frame.length];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(frame, 0, out, f * frame.length, frame.length);
        }
        return out;
    }

    /**
     * Writes one frame into {@code out} from {@code at} on: channel c, pixel (y, x) reads {@code source}'s channel c at
     * (rows[y], cols[x]), {@code source} being channels × sourceHeight × sourceWidth.
     */
    static void gather(float[] source, int sourceHeight, int sourceWidth, int channels, int[] rows, int[] cols,
                       float[] out, int at) {
        for (int c = 0; c < channels; c++) {
            int plane = c * sourceHeight * sourceWidth;
            for (int row : rows) {
                int from = plane + row * sourceWidth;
                for (int col : cols) {
                    out[at++] = source[from + col];
                }
            }
        }
    }
}
