package dev.storyboard.media.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Reads exported files back the way a player would: ffprobe for the container facts, a decoder for pixels. */
final class VideoProbe {
    private VideoProbe() {
    }

    /** ffprobe's JSON for the first video stream (frames counted by decoding) and the format. */
    static JsonNode ffprobe(Path file) throws IOException, InterruptedException {
        String ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        Process p = new ProcessBuilder(ffprobe, "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,profile,pix_fmt,width,height,r_frame_rate,nb_read_frames",
                "-show_entries", "format=duration,format_name", "-of", "json", file.toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + file + ": " + new String(out, StandardCharsets.UTF_8));
        }
        return new ObjectMapper().readTree(out);
    }

    /** Decodes every frame to ARGB ints. */
    static List<int[]> decode(Path file) throws IOException {
        List<int[]> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            Frame f;
            while ((f = grabber.grabImage()) != null) {
                ByteBuffer bgr = (ByteBuffer) f.image[0];
                int w = f.imageWidth;
                int h = f.imageHeight;
                int[] argb = new int[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = y * f.imageStride + 3 * x;
                        int b = bgr.get(o) & 0xFF;
                        int g = bgr.get(o + 1) & 0xFF;
                        int r = bgr.get(o + 2) & 0xFF;
                        argb[y * w + x] = 0xFF000000 | (r << 16) | (g << 8) | b;
                    }
                }
                frames.add(argb);
            }
            grabber.stop();
        }
        return frames;
    }
}
