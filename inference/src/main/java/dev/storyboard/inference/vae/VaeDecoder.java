package dev.storyboard.inference.vae;

import ai.djl.ndarray.NDArray;
import dev.storyboard.inference.config.VaeConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame VAE's decoder (docs/STORYDIT.md §9):
 *
 * <pre>
 *   z    = z_dit / scaling + shift                       (B, C, h, w)   DiT latent → raw latent
 *   y    = conv_in(C → ch3); levels k = 0..3 at ch_{3−k}: n_res ResBlocks, levels 0..2 end with
 *          up = nearest ×2 then conv(ch_{3−k} → ch_{2−k}); norm_out, SiLU, conv_out(ch0 → 3)     (B, 3, H, W)
 *   image = clamp((y + 1) / 2, 0, 1)
 * </pre>
 */
public final class VaeDecoder {
    private final VaeConfig cfg;
    private final FrameVae.Conv convIn;
    private final List<List<FrameVae.ResBlock>> levels = new ArrayList<>();
    private final List<FrameVae.Conv> ups = new ArrayList<>();
    private final FrameVae.GroupNorm normOut;
    private final FrameVae.Conv convOut;

    public VaeDecoder(VaeConfig cfg, Weights w) {
        this.cfg = cfg;
        int levelsN = VaeConfig.LEVELS;
        convIn = FrameVae.Conv.read(w, "decoder.conv_in", cfg.latentChannels(), cfg.channels(levelsN - 1), 1);
        for (int k = 0; k < levelsN; k++) {
            int ch = cfg.channels(levelsN - 1 - k);
            List<FrameVae.ResBlock> res = new ArrayList<>();
            for (int j = 0; j < cfg.nRes(); j++) {
                res.add(FrameVae.ResBlock.read(w, "decoder.levels." + k + ".res." + j, ch, cfg.normGroups()));
            }
            levels.add(res);
            if (k < levelsN - 1) {
                ups.add(FrameVae.Conv.read(w, "decoder.levels." + k + ".up", ch, cfg.channels(levelsN - 2 - k), 1));
            }
        }
        normOut = FrameVae.GroupNorm.read(w, "decoder.norm_out", cfg.channels(0), cfg.normGroups());
        convOut = FrameVae.Conv.read(w, "decoder.conv_out", cfg.channels(0), cfg.inChannels(), 1);
        w.requireAllUsed();
    }

    public VaeConfig config() {
        return cfg;
    }

    /** Raw latent (B, C, h, w) → decoder output y (B, 3, H, W), unclamped. */
    public NDArray decodeRaw(NDArray z) {
        NDArray h = convIn.apply(z);
        for (int k = 0; k < levels.size(); k++) {
            for (FrameVae.ResBlock r : levels.get(k)) {
                h = r.apply(h);
            }
            if (k < ups.size()) {
                h = ups.get(k).apply(Nn.upsample2x(h));
            }
        }
        return convOut.apply(Nn.silu(normOut.apply(h)));
    }

    /** DiT latents (B, C, h, w) → images (B, 3, H, W) in [0, 1]. */
    public NDArray decode(NDArray zDit) {
        NDArray raw = zDit.div(cfg.scalingFactor()).addi(cfg.shiftFactor());
        return decodeRaw(raw).addi(1).divi(2).clip(0, 1);
    }
}
