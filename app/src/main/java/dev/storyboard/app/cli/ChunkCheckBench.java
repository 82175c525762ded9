package dev.storyboard.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.judge.editor.EditorChunkCheck;
import dev.storyboard.judge.video.VideoReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The editor's live chunk check timed as the editor runs it: a shot streamed in chunks of 4 frames, the check
 * called on the frames so far after every chunk. Frames come from a real render (the README's sample scene at
 * 64×64, 8 fps), repeated to make longer shots. Reports milliseconds per chunk by shot length.
 */
final class ChunkCheckBench {
    private static final int CHUNK = 4;
    private static final int[] SHOT_FRAMES = {16, 48, 120};
    private static final int REPEATS = 5;

    private ChunkCheckBench() {
    }

    static ObjectNode run(Path video, PrintStream out) throws IOException {
        List<VideoFrame> source = VideoReader.read(video, 0, VideoReader.Resolution.FULL).toVideoFrames();
        if (source.isEmpty()) {
            throw new IOException(video + " has no frames");
        }
        EditorChunkCheck check = new EditorChunkCheck();
        ObjectNode result = new ObjectMapper().createObjectNode();
        result.put("video", video.toString());
        result.put("frame_size", source.get(0).width() + "x" + source.get(0).height());
        result.put("chunk_frames", CHUNK);
        ArrayNode shots = result.putArray("shots");
        List<VideoFrame> shot = new ArrayList<>();
        while (shot.size() < SHOT_FRAMES[SHOT_FRAMES.length - 1]) {
            shot.addAll(source);
        }
        for (int run = 0; run < 2; run++) {                       // run 0 warms the JIT and OpenCV
            for (int frames : SHOT_FRAMES) {
                double total = 0;
                double worst = 0;
                int chunks = 0;
                for (int r = 0; r < REPEATS; r++) {
                    for (int start = 0; start < frames; start += CHUNK) {
                        List<VideoFrame> soFar = shot.subList(0, Math.min(frames, start + CHUNK));
                        long t0 = System.nanoTime();
                        check.inspect(soFar, start, 8);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        total += ms;
                        worst = Math.max(worst, ms);
                        chunks++;
                    }
                }
                if (run == 1) {
                    ObjectNode s = shots.addObject();
                    s.put("shot_frames", frames);
                    s.put("mean_ms_per_chunk", Math.round(total / chunks * 100) / 100.0);
                    s.put("max_ms_per_chunk", Math.round(worst * 100) / 100.0);
                    out.printf(Locale.ROOT, "chunk check, shot of %3d frames: %.2f ms per chunk on average, %.2f ms at most%n",
                            frames, total / chunks, worst);
                }
            }
        }
        return result;
    }

    static void write(ObjectNode result, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), result);
    }
}
