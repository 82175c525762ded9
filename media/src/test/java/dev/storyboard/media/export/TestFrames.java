package dev.storyboard.media.export;

import dev.storyboard.domain.generation.VideoFrame;
import java.util.ArrayList;
import java.util.List;

/** Synthetic footage: a smooth gradient background with a bright square moving across it. */
final class TestFrames {
    private TestFrames() {
    }

    static List<VideoFrame> movingSquare(int count, int width, int height) {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] argb = new int[width * height];
            int sx = (i * 2) % (width - 16);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int r = 40 + 150 * x / width;
                    int g = 60 + 120 * y / height;
                    int b = 120;
                    if (x >= sx && x < sx + 16 && y >= height / 2 - 8 && y < height / 2 + 8) {
                        r = 240;
                        g = 200;
                        b = 40;
                    }
                    argb[y * width + x] = 0xFF000000 | (r << 16) | (g << 8) | b;
                }
            }
            frames.add(new VideoFrame(width, height, argb));
        }
        return frames;
    }

    /** PSNR in dB between two RGB frames of the same size. */
    static double psnr(int[] a, int[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = ((a[i] >> shift) & 0xFF) - ((b[i] >> shift) & 0xFF);
                se += d * d;
            }
        }
        double mse = se / (a.length * 3.0);
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
