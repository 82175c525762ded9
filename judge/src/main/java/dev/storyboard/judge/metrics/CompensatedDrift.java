package dev.storyboard.judge.metrics;

import dev.storyboard.judge.video.Clip;
import java.util.Arrays;

/**
 * Brightness and saturation change of a frame against a reference frame with the camera's motion removed:
 * the frame is sampled where each reference pixel moved to (the chained {@link GlobalMotion} steps), and the
 * median of the per-pixel differences over the overlap is taken. A global colour or brightness drift moves the
 * median; a pan, a zoom or a moving actor covering less than half the frame does not.
 */
public final class CompensatedDrift {

    /**
     * @param luma       median per-pixel luma difference, frame minus reference (grey levels)
     * @param saturation median per-pixel saturation difference (0..1)
     * @param overlap    share of reference pixels still inside the frame
     */
    public record Change(double luma, double saturation, double overlap) {
    }

    private CompensatedDrift() {
    }

    /** Change of frame {@code f} against frame {@code ref} (&lt; f), using the clip's chained global motion steps. */
    public static Change between(Clip clip, int ref, int f, GlobalMotion.Step[] steps) {
        int w = clip.width();
        int h = clip.height();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double s = 1;
        double tx = 0;
        double ty = 0;
        for (int t = ref; t < f; t++) {
            GlobalMotion.Step st = steps[t];
            if (!st.reliable()) {
                continue;
            }
            s *= st.scale();
            tx = tx * st.scale() + st.tx();
            ty = ty * st.scale() + st.ty();
        }
        byte[] a = clip.bgr(ref);
        byte[] b = clip.bgr(f);
        double[] dl = new double[w * h];
        double[] ds = new double[w * h];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double qx = cx + s * (x + 0.5 - cx) + tx - 0.5;
                double qy = cy + s * (y + 0.5 - cy) + ty - 0.5;
                int ix = (int) Math.round(qx);
                int iy = (int) Math.round(qy);
                if (ix < 0 || iy < 0 || ix >= w || iy >= h) {
                    continue;
                }
                int i = 3 * (y * w + x);
                int j = 3 * (iy * w + ix);
                dl[n] = luma(b, j) - luma(a, i);
                ds[n] = sat(b, j) - sat(a, i);
                n++;
            }
        }
        if (n == 0) {
            return new Change(0, 0, 0);
        }
        return new Change(median(dl, n), median(ds, n), n / (double) (w * h));
    }

    private static double luma(byte[] p, int i) {
        return 0.114 * (p[i] & 0xFF) + 0.587 * (p[i + 1] & 0xFF) + 0.299 * (p[i + 2] & 0xFF);
    }

    private static double sat(byte[] p, int i) {
        int b = p[i] & 0xFF;
        int g = p[i + 1] & 0xFF;
        int r = p[i + 2] & 0xFF;
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        return max == 0 ? 0.0 : (max - min) / (double) max;
    }

    private static double median(double[] v, int n) {
        double[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
