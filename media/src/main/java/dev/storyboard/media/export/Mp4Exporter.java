package dev.storyboard.media.export;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.IoMessages;
import dev.storyboard.media.FfmpegLog;
import dev.storyboard.media.FfmpegProbe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes frames to H.264 MP4 (yuv420p, +faststart) with FFmpeg through JavaCV. Frames at another size
 * than the output are scaled by FFmpeg's swscale with the lanczos filter, never in Java.
 *
 * <p>Encoder: libx264 when the FFmpeg build has it (the {@code -gpl} classifier, a build option), else
 * libopenh264 (the default LGPL build; Constrained Baseline). See docs/decisions/0003.
 *
 * <p>The file appears only when complete: encoding goes to a hidden temporary sibling ({@link AtomicFiles#newTemp})
 * that is published over the target at the end; on failure or cancellation the partial file is deleted and the
 * previous file, if any, survives.
 */
public final class Mp4Exporter {
    /**
     * Runs on the finished temporary file right after the muxer closed it, before it is checked. The
     * default does nothing; tests inject a full disk here (a truncated file or a write error).
     */
    @FunctionalInterface
    public interface AfterMux {
        void accept(Path temp) throws IOException;
    }

    private final AfterMux afterMux;

    public Mp4Exporter() {
        this(temp -> { });
    }

    /** An exporter whose finished temporary file goes through {@code afterMux} first (fault injection). */
    public Mp4Exporter(AfterMux afterMux) {
        this.afterMux = afterMux;
    }

    /** The H.264 encoder this FFmpeg build will use. */
    public static String h264Encoder() {
        List<String> encoders = FfmpegProbe.probe().h264Encoders();
        if (encoders.contains("libx264")) {
            return "libx264";
        }
        if (encoders.contains("libopenh264")) {
            return "libopenh264";
        }
        throw new IllegalStateException("this FFmpeg build has no H.264 encoder (expected libopenh264 or libx264)");
    }

    /**
     * Writes {@code frames} to {@code target}.
     *
     * @param cancelled polled before every frame; when true the export stops and throws
     * @throws ExportCancelledException when cancelled (no file left behind)
     * @throws ExportException          when the output cannot be written (message names why)
     */
    public void export(FrameSequence frames, Mp4Settings settings, Path target, ExportProgress progress,
                       BooleanSupplier cancelled) throws ExportException {
        if (frames.size() == 0) {
            throw new ExportException("nothing to export to " + target + ": no frames");
        }
        AtomicOutput.prepareFile(target, ".mp4");
        FfmpegLog.ensureConfigured();
        String encoder = h264Encoder();
        Path temp;
        try {
            AtomicFiles.removeStaleTemps(target);
            temp = AtomicFiles.newTemp(target);
        } catch (IOException e) {
            throw new ExportException("cannot write " + target + ": " + IoMessages.describe(e), e);
        }
        boolean complete = false;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(temp.toFile(), settings.width(), settings.height(), 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName(encoder);
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            // JavaCV turns the double into a rational with av_d2q(fps, 1001000): 24000/1001.0 comes back exact.
            recorder.setFrameRate(settings.rate().fps());
            recorder.setGopSize(Math.max(1, (int) Math.round(settings.rate().fps() * 2)));
            recorder.setVideoBitrate(settings.videoBitrate());
            recorder.setImageScalingFlags(swscale.SWS_LANCZOS);
            recorder.setOption("movflags", "+faststart");
            if ("libx264".equals(encoder)) {
                recorder.setVideoOption("preset", "medium");
                recorder.setVideoOption("crf", "18");
            }
            recorder.start();
            Frame frame = new Frame(frames.width(), frames.height(), Frame.DEPTH_UBYTE, 3);
            ByteBuffer bgr = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            for (int i = 0; i < frames.size(); i++) {
                if (cancelled.getAsBoolean()) {
                    throw new ExportCancelledException("export to " + target + " cancelled after " + i + " of "
                            + frames.size() + " frames; nothing was written");
                }
                VideoFrame f = frames.frame(i);
                if (f.width() != frames.width() || f.height() != frames.height()) {
                    throw new ExportException("frame " + i + " is " + f.width() + "x" + f.height() + ", expected "
                            + frames.width() + "x" + frames.height());
                }
                packBgr(f, bgr, stride);
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
                progress.framesWritten(i + 1, frames.size());
            }
            recorder.stop();
            complete = true;
        } catch (FrameRecorder.Exception e) {
            throw new ExportException("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (!complete) {
                AtomicFiles.deleteQuietly(temp);
            }
        }
        try {
            afterMux.accept(temp);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new ExportException("cannot write " + target + ": " + describe(e.getMessage()) + "; the previous file is kept", e);
        }
        verify(temp, target, frames.size());
        try {
            AtomicFiles.publish(temp, target);
        } catch (IOException e) {
            throw new ExportException("cannot move the finished video into place at " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The finished temporary file must be on disk (fsync), open as an MP4 and hold every frame written:
     * a full disk can cut off the muxer's tail ("moov atom not found") without FFmpeg reporting an error.
     * On failure the temporary is deleted and the previous target stays.
     */
    private static void verify(Path temp, Path target, int expectedFrames) throws ExportException {
        String damaged = "the finished video for " + target + " is damaged";
        String kept = "; is the disk full? Nothing was written and the previous file is kept";
        try {
            if (Files.size(temp) == 0) {
                throw new ExportException(damaged + " (it is empty)" + kept);
            }
            AtomicFiles.sync(temp);
            int found = 0;
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(temp.toFile())) {
                grabber.start();
                int stream = grabber.getVideoStream();
                AVPacket packet;
                while ((packet = grabber.grabPacket()) != null) {
                    if (packet.stream_index() == stream) {
                        found++;
                    }
                    av_packet_unref(packet);
                }
                grabber.stop();
            } catch (FrameGrabber.Exception e) {
                throw new ExportException(damaged + " (it does not open: " + describe(e.getMessage()) + ")" + kept, e);
            }
            if (found != expectedFrames) {
                throw new ExportException(damaged + " (it holds " + found + " of " + expectedFrames + " frames)" + kept);
            }
        } catch (ExportException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new ExportException(damaged + " (" + describe(e.getMessage()) + ")" + kept, e);
        }
    }

    /** ARGB ints → packed BGR bytes with the recorder frame's row stride. */
    static void packBgr(VideoFrame f, ByteBuffer bgr, int stride) {
        int[] argb = f.argb();
        int w = f.width();
        for (int y = 0; y < f.height(); y++) {
            int row = y * stride;
            for (int x = 0; x < w; x++) {
                int p = argb[y * w + x];
                int o = row + 3 * x;
                bgr.put(o, (byte) p);
                bgr.put(o + 1, (byte) (p >> 8));
                bgr.put(o + 2, (byte) (p >> 16));
            }
        }
    }

    private static String describe(FrameRecorder.Exception e) {
        return describe(e.getMessage());
    }

    private static String describe(String message) {
        String m = String.valueOf(message);
        // FFmpeg reports ENOSPC as error -28 ("No space left on device").
        if (m.contains("-28") || m.toLowerCase().contains("no space")) {
            return "the disk is full (" + m + ")";
        }
        return m;
    }
}
