package dev.storyboard.judge.storyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.judge.TestData;
import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import dev.storyboard.judge.video.Clip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The storyworld judge on slightly soft stills: the first frame of each scene's first shot, blurred a little
 * (Gaussian, sigma 0.7 px) and given a little pixel noise (sigma 6 of 255, as a low-rank patch projection or a
 * generator leaves on the actor's fill), judged as a two-frame still. A person reads these as well as the
 * exact render; the judge must too ({@link ActorSegmenter}, soft frames), and must not start reading the kind
 * of another scene's actor in them.
 */
class SoftStoryworldTest {
    private static final int SCENES = 40;
    private static final double BLUR_SIGMA = 0.7;
    private static final double NOISE_SIGMA = 6.0;

    @Test
    void softenedStillsKeepTheirKindAndColour() throws Exception {
        Path clips = TestData.clips();
        List<String> ids = StoryworldExport.clipIds(clips).subList(0, SCENES);
        StoryworldJudge judge = new StoryworldJudge();
        int kindRight = 0;
        int colourRight = 0;
        int otherKind = 0;
        int otherKindShots = 0;
        StringBuilder misses = new StringBuilder();
        for (int s = 0; s < ids.size(); s++) {
            StoryworldExport.LabelledScene scene = StoryworldExport.readScene(clips.resolve(ids.get(s)), 8);
            Clip shot = scene.shots().get(0);
            byte[] soft = soften(shot.bgr(0), shot.width(), shot.height(), new Random(1000 + s));
            Clip still = Clip.ofBgr(ids.get(s) + " soft", shot.width(), shot.height(), 8, List.of(soft, soft));
            ShotVerdict v = judge.judgeShot(still, 0);
            StoryworldExport.ActorLabels truth = scene.labels().actor();
            boolean kindOk = v.kind() == truth.kind();
            boolean colourOk = v.colour() == truth.colour();
            kindRight += kindOk ? 1 : 0;
            colourRight += colourOk ? 1 : 0;
            if (!kindOk || !colourOk) {
                misses.append(String.format(Locale.ROOT, "%s: %s %s read as %s %s %s%n", ids.get(s), truth.colour(),
                        truth.kind(), v.colour(), v.kind(), v.notes()));
            }
            // control: the next scene with an actor of another kind; its kind must not be what is read here
            for (int o = 1; o < ids.size(); o++) {
                Kind other = StoryworldExport.readLabels(clips.resolve(ids.get((s + o) % ids.size()))).actor().kind();
                if (other != truth.kind()) {
                    otherKindShots++;
                    otherKind += v.kind() == other ? 1 : 0;
                    break;
                }
            }
        }
        String report = String.format(Locale.ROOT, "kind %d / %d, colour %d / %d, other scene's kind %d / %d%n%s",
                kindRight, SCENES, colourRight, SCENES, otherKind, otherKindShots, misses);
        Files.writeString(TestData.work().resolve("storyworld-soft.md"), report);
        assertThat(kindRight).as(report).isGreaterThanOrEqualTo((int) Math.ceil(0.85 * SCENES));
        assertThat(colourRight).as(report).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * SCENES));
        assertThat(otherKind).as(report).isLessThanOrEqualTo((int) Math.floor(0.1 * otherKindShots));
    }

    /** A separable Gaussian blur (radius 2) of a BGR frame plus Gaussian pixel noise, rounded to 8 bits. */
    static byte[] soften(byte[] bgr, int w, int h, Random random) {
        double[] k = new double[5];
        double sum = 0;
        for (int i = 0; i < k.length; i++) {
            k[i] = Math.exp(-(i - 2) * (i - 2) / (2 * BLUR_SIGMA * BLUR_SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        double[] tmp = new double[bgr.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int i = 0; i < k.length; i++) {
                        int xx = Math.max(0, Math.min(w - 1, x + i - 2));
                        v += k[i] * (bgr[3 * (y * w + xx) + c] & 0xFF);
                    }
                    tmp[3 * (y * w + x) + c] = v;
                }
            }
        }
        byte[] out = new byte[bgr.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int i = 0; i < k.length; i++) {
                        int yy = Math.max(0, Math.min(h - 1, y + i - 2));
                        v += k[i] * tmp[3 * (yy * w + x) + c];
                    }
                    v += NOISE_SIGMA * random.nextGaussian();
                    out[3 * (y * w + x) + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return out;
    }
}
