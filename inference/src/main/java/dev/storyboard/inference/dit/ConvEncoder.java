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
 * The contracting half of the U-Net around the DiT ({@code conv_encoder}; {@code model.py ConvEncoder},
 * docs/STORYDIT.md §6 stage 1). Per frame, over L = log2(patch) levels of w_l = W·(l + 1) channels:
 *
 * <pre>
 *   h = x_t                                                        (B·F, C, H, W)
 *   level l = 0..L−1:  (l &gt; 0: avg-pool ×2) → conv3x3 (convs.l) → FiLM(t) → SiLU   = skip l  (B·F, w_l, H/2^l, W/2^l)
 *                      level 0 of an actor_box_cond model: conv3x3 (convs.0)(h) + conv3x3 (actor_box, no bias)(box)
 *                      before the FiLM, box the actor's box input of the frame      (B·F, Cb, H, W)
 *                      (Cb = the actor layout's channels: 1, or 4 for a painted silhouette)
 *                      level 0 of a prev_frame_cond model: + conv3x3 (prev_frame, no bias)(prev) too, prev the shot's
 *                      frame before the frame's target                              (B·F, C, H, W)
 *   tokens = to_tokens(avg-pool ×2 of level L−1)                   (B, F·Hp·Wp, d) in (f, h, w) order
 * </pre>
 *
 * The skips are {@link ConvDecoder}'s; the tokens are added to the patch embedding. Per frame only, so a chunk
 * or a cached forward computes exactly its own frames. The box and previous-frame convs have no bias, so a zero
 * input is exactly "none given" (training drops boxes to zeros and gives a shot's first chunk a zero previous frame;
 * {@code model.py ConvEncoder}); a null input skips its conv.
 */
final class ConvEncoder {
    /** The encoder's output: skip l per level and the tokens (B, F·Hp·Wp, d) to add to the patch embedding. */
    record Features(List<NDArray> skips, NDArray tokens) {}

    private final StoryDiTConfig cfg;
    private final List<Nn.Conv2d> convs = new ArrayList<>();
    private final ConvFilm film;
    private final NDArray toTokensW;
    private final NDArray toTokensB;
    private final Nn.Conv2d actorBoxConv;          // conv_encoder.actor_box; null unless cfg.actorBoxCond()
    private final Nn.Conv2d prevFrameConv;         // conv_encoder.prev_frame; null unless cfg.prevFrameCond()

    ConvEncoder(StoryDiTConfig cfg, Weights w) {
        this.cfg = cfg;
        int levels = cfg.convLevels();
        int columns = 0;
        for (int l = 0; l < levels; l++) {
            int in = l == 0 ? cfg.latentChannels() : cfg.convWidth(l - 1);
            convs.add(Nn.Conv2d.of(w.take("conv_encoder.convs." + l + ".weight", cfg.convWidth(l), in, 3, 3),
                    w.take("conv_encoder.convs." + l + ".bias", cfg.convWidth(l)), 1));
            columns += 2 * cfg.convWidth(l);
        }
        film = new ConvFilm(w, "conv_encoder", columns);
        toTokensW = w.take("conv_encoder.to_tokens.weight", cfg.dModel(), cfg.convWidth(levels - 1));
        toTokensB = w.take("conv_encoder.to_tokens.bias", cfg.dModel());
        actorBoxConv = cfg.actorBoxCond() ? Nn.Conv2d.of(w.take("conv_encoder.actor_box.weight", cfg.convWidth(0),
                cfg.actorLayout().channels(), 3, 3), null, 1) : null;
        prevFrameConv = cfg.prevFrameCond() ? Nn.Conv2d.of(w.take("conv_encoder.prev_frame.weight", cfg.convWidth(0),
                cfg.latentChannels(), 3, 3), null, 1) : null;
    }

    /** Whether this encoder reads the actor's box (package-private: the parity test checks it is loaded). */
    boolean readsActorBox() {
        return actorBoxConv != null;
    }

    /** Whether this encoder reads the previous frame (package-private: the parity test checks it is loaded). */
    boolean readsPrevFrame() {
        return prevFrameConv != null;
    }

    /**
     * latents (B, F, C, H, W), tFrames the unclamped timestep of each frame (B·F), actorBox the actor's box input of
     * each frame (B, F, Cb, H, W), Cb the actor layout's channels, or null (no box; only an actor_box_cond model reads
     * one), prevFrame the previous
     * frame of each frame (B, F, C, H, W) or null (none; only a prev_frame_cond model reads one) → skips and tokens.
     */
    Features encode(NDManager scope, NDArray latents, float[] tFrames, NDArray actorBox, NDArray prevFrame) {
        Shape s = latents.getShape();
        long b = s.get(0);
        long f = s.get(1);
        NDArray h = latents.reshape(b * f, s.get(2), s.get(3), s.get(4));                          // (B·F, C, H, W)
        ConvFilm.Columns columns = film.columns(scope, tFrames);
        List<NDArray> skips = new ArrayList<>();
        for (int l = 0; l < convs.size(); l++) {
            if (l > 0) {
                h = Nn.avgPool2d(h, 2);
            }
            NDArray pre = convs.get(l).apply(h);                                  // (B·F, w_l, H/2^l, W/2^l)
            if (l == 0 && actorBox != null) {
                pre = pre.addi(actorBoxConv.apply(actorBox.reshape(b * f, cfg.actorLayout().channels(), s.get(3),
                        s.get(4))));
            }
            if (l == 0 && prevFrame != null) {
                pre = pre.addi(prevFrameConv.apply(prevFrame.reshape(b * f, s.get(2), s.get(3), s.get(4))));
            }
            h = columns.apply(pre);
            skips.add(h);
        }
        int last = convs.size() - 1;
        NDArray grid = Nn.avgPool2d(h, 2);                                                         // (B·F, w_L, Hp, Wp)
        NDArray tokens = grid.transpose(0, 2, 3, 1).reshape(b, f * cfg.tokensPerFrame(), cfg.convWidth(last));
        return new Features(skips, Nn.linear(tokens, toTokensW, toTokensB));                       // (B, F·Hp·Wp, d)
    }
}
