package dev.storyboard.inference.dit;

import dev.storyboard.inference.config.StoryDiTConfig;
import java.util.List;

/**
 * Camera RoPE ({@code rope.py camera_rope_positions}): the spatial RoPE positions of a video token in world
 * coordinates instead of screen coordinates, under its segment's camera label.
 *
 * <pre>
 *   h' = c_h + (h − c_h) · exp(log_zoom · f')
 *   w' = c_w + (w − c_w) · exp(log_zoom · f') + pan · f'      f = latent frame index in the shot
 *   c  = the grid centre, (grid − 1) / 2 after the position's base (posT − f / patch_t)
 *   f' = f, held at camera_hold_frames once past it ({@link StoryDiTConfig.CameraMotion#travelFrames})
 * </pre>
 *
 * A static or null camera leaves every position as it was; text tokens never move. The positions differ between
 * batch rows (the unconditional row's labels are null), so the tables are per row.
 */
public final class CameraRope {
    private final double[][] ratesByLabel;          // [camera label] → {pan, log zoom} per frame; label 0 = null
    private final StoryDiTConfig.CameraMotion motion;
    private final int patchT;
    private final int gridH;
    private final int gridW;

    public CameraRope(StoryDiTConfig cfg) {
        if (cfg.cameraMotion() == null) {
            throw new IllegalArgumentException("this model has no camera RoPE (camera_rope)");
        }
        this.motion = cfg.cameraMotion();
        List<String> cameras = cfg.cameras();
        ratesByLabel = new double[cameras.size() + 1][];
        ratesByLabel[0] = new double[] {0.0, 0.0};
        for (int i = 0; i < cameras.size(); i++) {
            ratesByLabel[i + 1] = cfg.cameraMotion().rates(cameras.get(i));
        }
        this.patchT = cfg.patchT();
        this.gridH = cfg.latentH() / cfg.patchH();
        this.gridW = cfg.latentW() / cfg.patchW();
    }

    /**
     * Positions {t, h, w} per batch row, each {@code [batch][N]}, of {@code table}'s tokens under {@code labels}
     * ({@code [batch][segment]}; null or a null entry = the null label: no camera).
     */
    public double[][][] positions(TokenTable table, ShotLabel[][] labels, int batch) {
        int n = table.size();
        double[][][] out = new double[3][batch][n];
        for (int r = 0; r < batch; r++) {
            for (int k = 0; k < n; k++) {
                double t = table.posT()[k];
                double h = table.posH()[k];
                double w = table.posW()[k];
                int f = table.frame()[k];
                if (f >= 0) {
                    ShotLabel label = labels == null || labels[r][table.segment()[k]] == null
                            ? ShotLabel.NULL : labels[r][table.segment()[k]];
                    double[] rate = ratesByLabel[label.camera()];
                    double base = t - f / patchT;
                    int travel = motion.travelFrames(f);
                    double z = Math.exp(rate[1] * travel);
                    double ch = base + (gridH - 1) / 2.0;
                    double cw = base + (gridW - 1) / 2.0;
                    h = ch + (h - ch) * z;
                    w = cw + (w - cw) * z + rate[0] * travel;
                }
                out[0][r][k] = t;
                out[1][r][k] = h;
                out[2][r][k] = w;
            }
        }
        return out;
    }
}
