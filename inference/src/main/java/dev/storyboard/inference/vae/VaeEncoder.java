package dev.storyboard.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.storyboard.inference.config.VaeConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame VAE's encoder (docs/STORYDIT.md §9), used to turn existing frames back into DiT latents:
 *
 * <pre>
 *   x = 2p − 1;  conv_in(3 → ch0); levels i = 0..3: n_res ResBlocks at ch_i, levels 0..2 end with
 *   down = conv stride 2 (ch_i → ch_{i+1}); norm_out, SiLU, conv_out(ch3 → 2C) = [mean | logvar]
 *   z_dit = (mean − shift) · scaling        (inference uses the mean only)
 * </pre>
 */
public final class VaeEncoder {
    private final VaeConfig cfg;
    private final FrameVae.Conv convIn;
    private final List<List<FrameVae.ResBlock>> levels = new ArrayList<>();
    private final List<FrameVae.Conv> downs = new ArrayList<>();
    private final FrameVae.GroupNorm normOut;
    private final FrameVae.Conv convOut;

    public VaeEncoder(VaeConfig cfg, Weights w) {
        this.cfg = cfg;
        int levelsN = VaeConfig.LEVELS;
        convIn = FrameVae.Conv.read(w, "encoder.conv_in", cfg.inChannels(), cfg.channels(0), 1);
        for (int i = 0; i < levelsN; i++) {
            List<FrameVae.ResBlock> res = new ArrayList<>();
            for (int j = 0; j < cfg.nRes(); j++) {
                res.add(FrameVae.ResBlock.read(w, "encoder.levels." + i + ".res." + j, cfg.channels(i), cfg.normGroups()));
            }
            levels.add(res);
            if (i < levelsN - 1) {
                downs.add(FrameVae.Conv.read(w, "encoder.levels." + i + ".down", cfg.channels(i), cfg.channels(i + 1), 2));
            }
        }
        normOut = FrameVae.GroupNorm.read(w, "encoder.norm_out", cfg.channels(levelsN - 1), cfg.normGroups());
        convOut = FrameVae.Conv.read(w, "encoder.conv_out", cfg.channels(levelsN - 1), 2 * cfg.latentChannels(), 1);
        w.requireAllUsed();
    }

    /** Images (B, 3, H, W) in [0, 1] → moments (B, 2C, H/8, W/8) = [mean | logvar]. */
    public NDArray moments(NDArray images) {
        NDArray h = convIn.apply(images.mul(2).subi(1));
        for (int i = 0; i < levels.size(); i++) {
            for (FrameVae.ResBlock r : levels.get(i)) {
                h = r.apply(h);
            }
            if (i < downs.size()) {
                h = downs.get(i).apply(h);
            }
        }
        return convOut.apply(Nn.silu(normOut.apply(h)));
    }

    /** Images (B, 3, H, W) in [0, 1] → DiT latents (B, C, H/8, W/8). */
    public NDArray encode(NDArray images) {
        NDArray mean = moments(images).get(new NDIndex(":, 0:{}", cfg.latentChannels()));
        return mean.sub(cfg.shiftFactor()).muli(cfg.scalingFactor());
    }
}
