package dev.storyboard.media;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/** Loads FFmpeg through JavaCV and reports what it can encode; used by {@code storyboard doctor}. */
public final class FfmpegProbe {

    /**
     * @param ffmpegVersion  FFmpeg's own version string
     * @param h264Encoders   H.264 encoders present in this build (libopenh264 for LGPL, libx264 with -gpl)
     * @param ffmpegExecutable path of the ffmpeg program bundled in the JavaCV jar, or empty
     */
    public record Report(String ffmpegVersion, List<String> h264Encoders, String ffmpegExecutable) {
        public boolean canEncodeH264() {
            return !h264Encoders.isEmpty();
        }
    }

    private FfmpegProbe() {
    }

    public static Report probe() {
        FfmpegLog.ensureConfigured();
        Loader.load(avcodec.class);
        String version = avutil.av_version_info().getString();
        List<String> encoders = new ArrayList<>();
        for (String name : List.of("libopenh264", "libx264")) {
            AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
            if (codec != null && !codec.isNull()) {
                encoders.add(name);
            }
        }
        String executable;
        try {
            executable = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            executable = "";
        }
        return new Report(version, List.copyOf(encoders), executable == null ? "" : executable);
    }
}
