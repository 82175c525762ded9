package dev.storyboard.media.export;

/**
 * How to encode an MP4.
 *
 * @param fps          frames per second of the scene
 * @param width        output width; frames of another size are scaled by FFmpeg's swscale with lanczos
 * @param height       output height
 * @param videoBitrate target bits per second for the H.264 encoder
 */
public record Mp4Settings(int fps, int width, int height, int videoBitrate) {
    public Mp4Settings {
        if (fps <= 0 || fps > 240) {
            throw new IllegalArgumentException("fps must be in 1..240, was " + fps);
        }
        if (width < 16 || height < 16 || width > 7680 || height > 4320) {
            throw new IllegalArgumentException("output size must be between 16x16 and 7680x4320, was " + width + "x" + height);
        }
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("yuv420p needs an even output size, was " + width + "x" + height);
        }
        if (videoBitrate < 10_000) {
            throw new IllegalArgumentException("video bitrate must be at least 10 kbit/s, was " + videoBitrate);
        }
    }

    /**
     * Settings with a bitrate generous enough that the model's own artefacts, not the encoder's, dominate:
     * about 0.4 bits per pixel per frame (openh264 has no constant-quality mode).
     */
    public static Mp4Settings of(int fps, int width, int height) {
        long bits = Math.round(0.4 * width * height * fps);
        return new Mp4Settings(fps, width, height, (int) Math.max(200_000, Math.min(bits, 50_000_000)));
    }
}
