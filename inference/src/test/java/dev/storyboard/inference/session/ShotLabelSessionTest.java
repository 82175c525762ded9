package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scene sessions on the tiny pixel model (pixel codec, x-prediction, caption_cond and shot_cond): every segment of
 * a shot carries its labels — text segment, chunks, extension chunks, cached context — so the KV-cache flows still
 * equal full recompute, and the labels steer the result.
 */
class ShotLabelSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final ShotLabel PAN_LEFT_CLOSE = new ShotLabel(2, 3);
    private static final ShotLabel ZOOM_IN_WIDE = new ShotLabel(4, 1);

    @RegisterExtension
    static final TinyModelExtension PIXEL = new TinyModelExtension(Fixtures.TINY_PIXEL);

    private static SceneSession.ShotRequest shot(int captionSeed, int frames, long seed, ShotLabel label) {
        return new SceneSession.ShotRequest(SceneSessionTest.caption(captionSeed, 5), frames, seed, 3.0, STEPS, label);
    }

    private SceneSession session(SceneSession.Options options) {
        SceneSession s = new SceneSession(PIXEL.model(), PIXEL.root(), options.withDecode(false)
                .withLongContext(LongContextPolicy.exact()));
        s.setGlobalCaption(SceneSessionTest.caption(99, 6));
        return s;
    }

    @ParameterizedTest
    @EnumSource(ChunkGuidance.class)
    void cachedGenerationAndExtensionEqualFullRecomputeWithLabels(ChunkGuidance guidance) {
        SceneSession.Options base = SceneSession.Options.defaults().withChunkGuidance(guidance);
        try (SceneSession cached = session(base); SceneSession full = session(base.withRecompute(true))) {
            double err = 0;
            SceneSession.Result[] r = new SceneSession.Result[2];
            int i = 0;
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                r[i++] = s.generateShot(1, shot(1, 4, 2, PAN_LEFT_CLOSE), ChunkListener.NONE, CancellationToken.none());
            }
            err = Math.max(err, Fixtures.maxAbsDiff(r[0].latents(), r[1].latents()));
            SceneSession.Result a = cached.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            SceneSession.Result b = full.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(a.latents(), b.latents()));
            Fixtures.report("pixel session with shot labels, cache vs recompute, " + guidance, err);
            assertThat(a.frames()).isEqualTo(6);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void labelsSteerTheShotAndTheContextShotsLabelsReachLaterShots() {
        SceneSession.Options options = SceneSession.Options.defaults();
        try (SceneSession s = session(options)) {
            float[] panned = s.generateShot(0, shot(0, 2, 1, PAN_LEFT_CLOSE), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] zoomed = s.generateShot(0, shot(0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] unlabelled = s.generateShot(0, shot(0, 2, 1, ShotLabel.NULL), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(Fixtures.maxAbsDiff(panned, zoomed)).isGreaterThan(1e-3);
            assertThat(Fixtures.maxAbsDiff(panned, unlabelled)).isGreaterThan(1e-3);
            float[] again = s.generateShot(0, shot(0, 2, 1, PAN_LEFT_CLOSE), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(again).containsExactly(panned);

            // the same next shot after a context shot that differs only in its labels
            float[] context = s.latents(0);
            s.putShot(0, new SceneSession.ShotContent(SceneSessionTest.caption(0, 5), context, 2, 1, "zoomed", ZOOM_IN_WIDE));
            float[] afterZoom = s.generateShot(1, shot(1, 2, 3, ShotLabel.NULL), ChunkListener.NONE, CancellationToken.none()).latents();
            s.putShot(0, new SceneSession.ShotContent(SceneSessionTest.caption(0, 5), context, 2, 1, "panned", PAN_LEFT_CLOSE));
            float[] afterPan = s.generateShot(1, shot(1, 2, 3, ShotLabel.NULL), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(Fixtures.maxAbsDiff(afterZoom, afterPan)).isGreaterThan(1e-5);
        }
    }
}
