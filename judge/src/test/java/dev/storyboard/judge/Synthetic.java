package dev.storyboard.judge;

import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.List;

/** Synthetic test clips. */
public final class Synthetic {
    private Synthetic() {
    }

    /** Pixel colour of frame f at (x, y) as 0xRRGGBB. */
    @FunctionalInterface
    public interface Painter {
        int rgb(int f, int x, int y);
    }

    public static Clip clip(String name, int w, int h, int frames, double fps, Painter p) {
        List<byte[]> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            byte[] bgr = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int c = p.rgb(f, x, y);
                    int i = 3 * (y * w + x);
                    bgr[i] = (byte) c;
                    bgr[i + 1] = (byte) (c >> 8);
                    bgr[i + 2] = (byte) (c >> 16);
                }
            }
            out.add(bgr);
        }
        return Clip.ofBgr(name, w, h, fps, out);
    }

    /** A smooth, textured, deterministic pattern (no flat areas) sampled at a real-valued position. */
    public static int texture(double x, double y) {
        double r = 128 + 60 * Math.sin(x * 0.31) + 50 * Math.cos(y * 0.23 + x * 0.05);
        double g = 128 + 70 * Math.sin(y * 0.27 + 1.0) + 40 * Math.sin(x * 0.11 - y * 0.07);
        double b = 128 + 60 * Math.cos(x * 0.19 + y * 0.17) + 30 * Math.sin(y * 0.41);
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    public static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Colour of a flat scene: distinct hue per scene index. */
    public static int sceneColour(int scene) {
        int[] c = {0x3366CC, 0xCC6633, 0x33AA55, 0xAA33AA, 0xDDDD44, 0x44DDDD};
        return c[scene % c.length];
    }
}
