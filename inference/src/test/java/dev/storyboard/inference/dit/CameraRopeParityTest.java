package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Camera RoPE ({@link CameraRope}) on the model of training/fixtures/tiny-camera against the Python reference: the
 * DiT cases of the pixel model ({@link PixelDiTParityCases}) whose shot labels pan, zoom, stay static and are null,
 * so every batch row rotates its tokens by positions of its own.
 */
class CameraRopeParityTest extends PixelDiTParityCases {
    private static final FixtureSet CAMERA = Fixtures.TINY_CAMERA;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(CAMERA);

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "camera";
    }

    @Test
    void theFixtureModelMovesPositionsByTheCameraLabel() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(c.cameraMotion()).isEqualTo(new StoryDiTConfig.CameraMotion(0.3, Math.log(0.6) / 3));
        SceneLayout layout = new SceneLayout(new int[] {4}, false,
                List.of(new Segment(0, true, 0, 4)), 4, 4, c.lTxt(), c.chunkFrames(), 1);
        TokenTable table = layout.tokenTable();
        int panRight = c.cameras().indexOf("pan_right") + 1;
        int still = c.cameras().indexOf("static") + 1;
        ShotLabel[][] labels = {{new ShotLabel(panRight, 1)}, {new ShotLabel(still, 1)}, {null}};
        double[][][] pos = new CameraRope(c).positions(table, labels, 3);
        for (int k = 0; k < table.size(); k++) {
            int f = table.frame()[k];
            double shift = f < 0 ? 0.0 : 0.3 * f;
            assertThat(pos[2][0][k]).isCloseTo(table.posW()[k] + shift, offset(1e-12));
            assertThat(pos[1][0][k]).isEqualTo(table.posH()[k]);
            for (int r = 1; r < 3; r++) {                                      // static and null: the screen grid
                assertThat(pos[2][r][k]).isEqualTo(table.posW()[k]);
                assertThat(pos[1][r][k]).isEqualTo(table.posH()[k]);
            }
        }
    }

    @Test
    void aHeldCameraStopsTravellingAfterItsHoldFrame() {
        StoryDiTConfig c = MODEL.model().config().dit();
        StoryDiTConfig held = new StoryDiTConfig(c.preset(), c.imageSize(), c.fps(), c.latentChannels(), c.latentH(),
                c.latentW(), c.patchT(), c.patchH(), c.patchW(), c.dModel(), c.nLayers(), c.nHeads(), c.mlpRatio(), c.lTxt(),
                c.textDim(), c.chunkFrames(), c.tEmbedDim(), c.tScale(), c.normEps(), c.ropeTheta(), c.captionCond(),
                c.prediction(), c.xPredTMin(), c.shotCond(), c.cameras(), c.shotSizes(), c.convDecoderWidth(),
                c.convEncoder(), new StoryDiTConfig.CameraMotion(0.3, Math.log(0.6) / 3, 2), c.actorBoxCond(),
                c.prevFrameCond());
        SceneLayout layout = new SceneLayout(new int[] {8}, false,
                List.of(new Segment(0, true, 0, 8)), 4, 4, c.lTxt(), c.chunkFrames(), 1);
        TokenTable table = layout.tokenTable();
        ShotLabel[][] labels = {{new ShotLabel(c.cameras().indexOf("pan_right") + 1, 1)},
                                {new ShotLabel(c.cameras().indexOf("zoom_in") + 1, 1)}};
        double[][][] free = new CameraRope(c).positions(table, labels, 2);
        double[][][] pos = new CameraRope(held).positions(table, labels, 2);
        for (int k = 0; k < table.size(); k++) {
            int f = table.frame()[k];
            if (f < 0) {
                continue;
            }
            assertThat(pos[2][0][k] - table.posW()[k]).isCloseTo(0.3 * Math.min(f, 2), offset(1e-12));
            int sameCell = k - (f - Math.min(f, 2)) * 16;                     // that cell at frame min(f, 2)
            assertThat(pos[1][1][k]).isCloseTo(pos[1][1][sameCell], offset(1e-12));          // zoom holds at 2
            assertThat(pos[2][1][k]).isCloseTo(pos[2][1][sameCell], offset(1e-12));
            if (f <= 2) {
                assertThat(pos[1][1][k]).isEqualTo(free[1][1][k]);
            }
        }
    }
}
