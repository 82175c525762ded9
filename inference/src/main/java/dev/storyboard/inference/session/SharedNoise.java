package dev.storyboard.inference.session;

import dev.storyboard.inference.config.StoryDiTConfig.CameraMotion;

/**
 * The shared part s of a shot's initial noise ({@link ShotNoisePrior}), per frame: still on the screen, or moving
 * with the shot's camera.
 *
 * <p>Moving: the shared normals are fixed to the world instead of the screen (warped noise, as in Go-with-the-Flow,
 * Burgert et al. 2025), so a pan or zoom slides them with the background instead of pinning the picture in place.
 * They are one canvas of normals twice the frame's height and width, centred on it; frame f reads, at its pixel
 * (y, x),
 * <pre>
 *   the canvas point  c + (y − c)·z_f,  c + (x − c)·z_f + pan·f        z_f = exp(logZoom·min(f, zoomFrames))
 * </pre>
 * (c = the frame's centre) rounded to the nearest canvas pixel (half to even, as {@code torch.round}) and wrapped
 * around the canvas, so a pan goes on for as long as the shot does: {@code flow.camera_warped_noise} in training.
 * Nearest reads keep every value standard normal. A zoom follows the camera for the trained shot's length and then
 * holds: past it a zoom in would read ever fewer canvas pixels.
 */
sealed interface SharedNoise {
    /** The same normals in every frame: the shot noise prior as trained without a camera (and every still camera). */
    SharedNoise STILL = new Still();

    /** s for the shot's frames [firstFrame, firstFrame + frames), {@code frameSize} floats each, frame-major. */
    float[] frames(long shotSeed, int firstFrame, int frames, int frameSize);

    /**
     * The shared noise of a shot whose camera moves by {@code rates} = {pan, log zoom} per latent frame, pan in latent
     * pixels ({@link CameraMotion#rates}), a zoom for its first {@code zoomFrames} frames (0 = all; the pan never
     * holds); a still camera ({0, 0}) gives {@link #STILL}, bit for bit.
     */
    static SharedNoise moving(double[] rates, int zoomFrames, int channels, int height, int width) {
        return rates[0] == 0 && rates[1] == 0 ? STILL
                : new Moving(new CameraMotion(rates[0], rates[1], zoomFrames), channels, height, width);
    }

    /** One frame of normals from the shot's seed, repeated. */
    record Still() implements SharedNoise {
        @Override
        public float[] frames(long shotSeed, int firstFrame, int frames, int frameSize) {
            return FrameReads.repeat(GaussianNoise.frames(shotSeed, GaussianNoise.Purpose.SHOT_SHARED, 0, 1, frameSize),
                    frames);
        }
    }

    /**
     * Reads of the shot's canvas ({@link GaussianNoise.Purpose#SHOT_CANVAS}, channels × 2H × 2W, channel-major) that
     * move with the camera: {@code camera} is this shot's travel per latent frame (pan in latent pixels), its zoom held
     * after {@link CameraMotion#holdFrames}.
     */
    record Moving(CameraMotion camera, int channels, int height, int width) implements SharedNoise {
        public Moving {
            if (camera == null || channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("camera noise needs a camera and a frame of at least one value, was "
                        + camera + ", " + channels + "×" + height + "×" + width);
            }
        }

        @Override
        public float[] frames(long shotSeed, int firstFrame, int frames, int frameSize) {
            if (frameSize != channels * height * width) {
                throw new IllegalArgumentException("frame size " + frameSize + " is not " + channels + "×" + height + "×"
                        + width);
            }
            float[] canvas = GaussianNoise.frames(shotSeed, GaussianNoise.Purpose.SHOT_CANVAS, 0, 1,
                    channels * 4 * height * width);
            return read(canvas, firstFrame, frames);
        }

        /** Frames [firstFrame, firstFrame + frames) read from {@code canvas} (channels × 2H × 2W), frame-major. */
        float[] read(float[] canvas, int firstFrame, int frames) {
            int canvasH = 2 * height;
            int canvasW = 2 * width;
            int frameSize = channels * height * width;
            float[] out = new float[frames * frameSize];
            double cy = (height - 1) / 2.0;
            double cx = (width - 1) / 2.0;
            for (int i = 0; i < frames; i++) {
                int f = firstFrame + i;
                double zoom = Math.exp(camera.logZoomPerFrame() * camera.travelFrames(f));
                int[] rows = reads(height, cy, zoom, (canvasH - height) / 2.0, canvasH);
                int[] cols = reads(width, cx, zoom, camera.panPerFrame() * f + (canvasW - width) / 2.0, canvasW);
                FrameReads.gather(canvas, canvasH, canvasW, channels, rows, cols, out, i * frameSize);
            }
            return out;
        }

        /** The canvas index each of {@code n} screen positions reads: round(c + (p − c)·zoom + offset), wrapped. */
        private static int[] reads(int n, double centre, double zoom, double offset, int canvas) {
            int[] out = new int[n];
            for (int p = 0; p < n; p++) {
                long at = (long) Math.rint(centre + (p - centre) * zoom + offset);
                out[p] = (int) Math.floorMod(at, (long) canvas);
            }
            return out;
        }
    }
}
