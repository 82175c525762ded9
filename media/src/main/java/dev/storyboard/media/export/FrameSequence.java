package dev.storyboard.media.export;

import dev.storyboard.domain.generation.VideoFrame;
import java.util.List;

/** Frames to export, all of one size, read one at a time so long scenes never sit in memory twice. */
public interface FrameSequence {
    int size();

    int width();

    int height();

    /** Frame {@code index} in [0, size()). */
    VideoFrame frame(int index);

    /** A sequence over frames already in memory; all must share the first frame's size. */
    static FrameSequence of(List<VideoFrame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("nothing to export: the frame sequence is empty");
        }
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            if (f.width() != w || f.height() != h) {
                throw new IllegalArgumentException("frame " + i + " is " + f.width() + "x" + f.height()
                        + " but frame 0 is " + w + "x" + h + ": all frames of an export must share one size");
            }
        }
        List<VideoFrame> copy = List.copyOf(frames);
        return new FrameSequence() {
            @Override public int size() { return copy.size(); }
            @Override public int width() { return w; }
            @Override public int height() { return h; }
            @Override public VideoFrame frame(int index) { return copy.get(index); }
        };
    }
}
