package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The U-Net-style decoder beside the linear patch head ({@code conv_decoder_width} W; {@code model.py ConvDecoder},
 * docs/STORYDIT.md §6 stage 4). It reads the features the final projection reads and refines the head's x̂, per
 * frame, over L = log2(patch) levels of w_l = W·(l + 1) channels, coarsest first:
 *
 * <pre>
 *   h = stem (1×1, d → w_{L−1}) of the features                     (B·F, w_{L−1}, Hp, Wp)
 *   level l = L−1..0 (ups.{L−1−l}):  nearest ×2 → cat(h, skip_l) → conv3x3 → FiLM(t) → SiLU    (B·F, w_l, H/2^l, W/2^l)
 *       skip_l = the {@link ConvEncoder}'s level l, or without one x_t average-pooled by 2^l (x_t itself at l = 0)
 *   x̂' = x̂ + conv_out (3×3, W + C → C) of cat(h, x̂)               (B, F, C, H, W)
 * </pre>
 */
final class ConvDecoder {
    private final StoryDiTConfig cfg;
    private final Nn.Conv2d stem;
    private final List<Nn.Conv2d> ups = new ArrayList<>();      // index i: level L−1−i
    private final ConvFilm film;
    private final Nn.Conv2d convOut;

    ConvDecoder(StoryDiTConfig cfg, Weights w) {
        this.cfg = cfg;
        int levels = cfg.convLevels();
        int c = cfg.latentChannels();
        stem = Nn.Conv2d.of(w.take("conv_decoder.stem.weight", cfg.convWidth(levels - 1), cfg.dModel(), 1, 1),
                w.take("conv_decoder.stem.bias", cfg.convWidth(levels - 1)), 0);
        int in = cfg.convWidth(levels - 1);
        int columns = 0;
        for (int i = 0; i < levels; i++) {
            int level = levels - 1 - i;
            int out = cfg.convWidth(level);
            int skip = cfg.convEncoder() ? out : c;
            ups.add(Nn.Conv2d.of(w.take("conv_decoder.ups." + i + ".weight", out, in + skip, 3, 3),
                    w.take("conv_decoder.ups." + i + ".bias", out), 1));
            columns += 2 * out;
            in = out;
        }
        film = new ConvFilm(w, "conv_decoder", columns);
        convOut = Nn.Conv2d.of(w.take("conv_decoder.conv_out.weight", c, cfg.convDecoderWidth() + c, 3, 3),
                w.take("conv_decoder.conv_out.bias", c), 1);
    }

    /**
     * feats (B, F·Hp·Wp, d) in (f, h, w) order, the head's x̂ and the noisy x_t (B, F, C, H, W), tFrames the
     * unclamped timestep of each frame (B·F), skips the encoder's levels (null without an encoder) → refined x̂.
     */
    NDArray refine(NDManager scope, NDArray feats, NDArray xHat, NDArray xT, float[] tFrames, List<NDArray> skips) {
        Shape s = xHat.getShape();
        long n = s.get(0) * s.get(1);
        long c = s.get(2);
        NDArray h = feats.reshape(n, cfg.gridH(), cfg.gridW(), cfg.dModel()).transpose(0, 3, 1, 2);  // (B·F, d, Hp, Wp)
        h = stem.apply(h);                                                          // (B·F, w_{L−1}, Hp, Wp)
        NDArray xt = xT.reshape(n, c, s.get(3), s.get(4));
        ConvFilm.Columns columns = film.columns(scope, tFrames);
        for (int i = 0; i < ups.size(); i++) {
            int level = ups.size() - 1 - i;
            NDArray skip = skips != null ? skips.get(level) : level > 0 ? Nn.avgPool2d(xt, 1 << level) : xt;
            h = Nn.upsample2x(h).concat(skip, 1);
            h = columns.apply(ups.get(i).apply(h));                             // (B·F, w_l, H/2^l, W/2^l)
        }
        NDArray out = convOut.apply(h.concat(xHat.reshape(n, c, s.get(3), s.get(4)), 1));              // (B·F, C, H, W)
        return xHat.add(out.reshape(s));
    }
}
