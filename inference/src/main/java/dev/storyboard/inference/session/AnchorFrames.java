package dev.storyboard.inference.session;

import dev.storyboard.inference.config.ContinuationAnchor;
import dev.storyboard.inference.config.StoryDiTConfig.CameraMotion;

/**
 * The picture each frame of a continuing target starts from ({@link ContinuationStart}), made from the shot's frame g
 * before the target: that frame itself in every target frame ({@link #STILL}), or carried by the shot's camera move
 * ({@link Camera}, {@link ContinuationAnchor#CAMERA}).
 */
sealed interface AnchorFrames {
    /** The frame before the target in every target frame. */
    AnchorFrames STILL = new Still();

    /**
     * The anchors of target frames [firstFrame, firstFrame + frames) from frame {@code fromFrame} of the shot ({@code
     * frameSize} floats), frame-major.
     */
    float[] frames(float[] frame, int fromFrame, int firstFrame, int frames);

    /**
     * The anchors of a shot whose camera moves by {@code rates} = {pan, log zoom} per latent frame ({@link
     * CameraMotion#rates}), a zoom for its first {@code zoomFrames} frames; a still camera ({0, 0}) gives {@link
     * #STILL}, bit for bit.
     */
    static AnchorFrames camera(double[] rates, int zoomFrames, int channels, int height, int width) {
        return rates[0] == 0 && rates[1] == 0 ? STILL
                : new Camera(new CameraMotion(rates[0], rates[1], zoomFrames), channels, height, width);
    }

    /** The frame repeated. */
    record Still() implements AnchorFrames {
        @Override
        public float[] frames(float[] frame, int fromFrame, int firstFrame, int frames) {
            return FrameReads.repeat(frame, frames);
        }
    }

    /**
     * The frame carried by the camera, as {@link SharedNoise.Moving} carries the shared noise: frame f reads, at screen
     * pixel (y, x), frame g's pixel
     * <pre>
     *   ( c + ((y − c)·z_f) / z_g,   c + ((x − c)·z_f + pan·(f − g)) / z_g )     z_k = exp(logZoom·min(k, zoomFrames))
     * </pre>
     * (c = the frame's centre): the point of the world that frame g showed there. Rounded to the nearest pixel (half
     * to even, as {@code torch.round}) and clamped to the frame's edge: where the camera shows what g did not (a pan's
     * new side, a zoom out's border), the anchor repeats g's edge and the model draws the rest from the noise.
     */
    record Camera(CameraMotion camera, int channels, int height, int width) implements AnchorFrames {
        public Camera {
            if (camera == null || channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("a camera anchor needs a camera and a frame of at least one value, was "
                        + camera + ", " + channels + "×" + height + "×" + width);
            }
        }

        @Override
        public float[] frames(float[] frame, int fromFrame, int firstFrame, int frames) {
            int frameSize = channels * height * width;
            if (frame.length != frameSize) {
                throw new IllegalArgumentException("frame size " + frame.length + " is not " + channels + "×" + height
                        + "×" + width);
            }
            float[] out = new float[frames * frameSize];
            double zg = Math.exp(camera.logZoomPerFrame() * camera.travelFrames(fromFrame));
            for (int i = 0; i < frames; i++) {
                int f = firstFrame + i;
                double zf = Math.exp(camera.logZoomPerFrame() * camera.travelFrames(f));
                int[] rows = reads(height, zf, zg, 0.0);
                int[] cols = reads(width, zf, zg, camera.panPerFrame() * (f - fromFrame));
                FrameReads.gather(frame, height, width, channels, rows, cols, out, i * frameSize);
            }
            return out;
        }

        /** The pixel each of {@code n} screen positions reads: round(c + ((p − c)·zf + shift) / zg), clamped. */
        private static int[] reads(int n, double zf, double zg, double shift) {
            double centre = (n - 1) / 2.0;
            int[] out = new int[n];
            for (int p = 0; p < n; p++) {
                long at = (long) Math.rint(centre + ((p - centre) * zf + shift) / zg);
                out[p] = (int) Math.max(0, Math.min(n - 1, at));
            }
            return out;
        }
    }
}
