package dev.storyboard.media.export;

import dev.storyboard.domain.export.EditorialRate;
import java.util.Objects;

/**
 * How to encode an MP4.
 *
 * @param rate         frame rate of the file (the scene's native rate, or an editorial rate the frames
 *                     were conformed to, see {@link FrameHold}); 24000/1001 is written exactly
 * @param width        output width; frames of another size are scaled by FFmpeg's swscale with lanczos
 * @param height       output height
 * @param videoBitrate target bits per second for the H.264 encoder
 */
public record Mp4Settings(EditorialRate rate, int width, int height, int videoBitrate) {
    public Mp4Settings {
        Objects.requireNonNull(rate, "rate");
        if (rate.fps() < 1 || rate.fps() > 240) {
            throw new IllegalArgumentException("fps must be in 1..240, was " + rate.label());
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

    /** Settings at a whole number of frames per second. */
    public Mp4Settings(int fps, int width, int height, int videoBitrate) {
        this(checkedRate(fps), width, height, videoBitrate);
    }

    private static EditorialRate checkedRate(int fps) {
        if (fps <= 0 || fps > 240) {
            throw new IllegalArgumentException("fps must be in 1..240, was " + fps);
        }
        return EditorialRate.of(fps);
    }

    /**
     * Settings with a bitrate generous enough that the model's own artefacts, not the encoder's, dominate:
     * about 0.4 bits per pixel per frame (openh264 has no constant-quality mode). For a rate that holds
     * frames (24 fps from 8), held frames cost almost nothing, so the budget follows the frames per second.
     */
    public static Mp4Settings of(EditorialRate rate, int width, int height) {
        long bits = Math.round(0.4 * width * height * rate.fps());
        return new Mp4Settings(rate, width, height, (int) Math.max(200_000, Math.min(bits, 50_000_000)));
    }

    public static Mp4Settings of(int fps, int width, int height) {
        return of(checkedRate(fps), width, height);
    }
}
