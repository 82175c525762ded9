package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.model.StoryboardModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference the cache is tested against ({@code Options.withRecompute(true)}; the bench's full_recompute):
 * nothing is cached, every target forward holds its whole context inline — the global caption, the earlier shots and
 * the shot's earlier chunks, re-noised to t_c as a cache would have been. With {@code nullOwnShot}
 * ({@link ChunkGuidance#EVERY_CHUNK}) the unconditional row drops the caption of the shot's earlier chunks.
 */
final class RecomputedContext implements ContextStrategy {
    private final Scene scene;
    private final ContextEncoder encoder;
    private final int chunkFrames;
    private final int frameSize;
    private final float tContext;
    private final boolean nullOwnShot;

    RecomputedContext(StoryboardModel model, Scene scene, ContextEncoder encoder, boolean nullOwnShot) {
        this.scene = scene;
        this.encoder = encoder;
        this.chunkFrames = model.config().dit().chunkFrames();
        this.frameSize = model.config().dit().latentFrameSize();
        this.tContext = (float) model.config().sampler().tContext();
        this.nullOwnShot = nullOwnShot;
    }

    @Override
    public void prepare(int upTo, CancellationToken cancel) {
        // nothing is cached
    }

    @Override
    public ShotContext open(NDManager job, ShotTarget shot, int from, CancellationToken cancel) {
        return new ShotContext() {
            @Override
            public Context context(NDManager scope, int chunk) {
                return inline(shot, chunk);
            }

            @Override
            public void append(NDManager job, FrameSpan span, CancellationToken cancel) {
                // the next forward re-encodes them
            }
        };
    }

    /** [global] + whole earlier shots at t_c + the shot's text and chunks &lt; chunk at t_c. */
    private Context inline(ShotTarget shot, int chunk) {
        List<Segment> segs = new ArrayList<>();
        List<float[]> lat = new ArrayList<>();
        List<float[]> txt = new ArrayList<>();
        List<Float> ts = new ArrayList<>();
        if (scene.hasGlobal()) {
            segs.add(Segment.globalCaption());
            txt.add(scene.globalText());
            ts.add(0f);
        }
        for (int j = 0; j < shot.index(); j++) {
            SessionShot s = scene.shot(j);
            segs.add(Segment.wholeShot(j, s.frames));
            txt.add(s.text);
            lat.add(encoder.renoise(s.latents, s.seed, 0, s.frames));
            ts.add(tContext);
        }
        int ownText = -1;
        if (chunk > 0) {
            SessionShot current = shot.entry();
            int f = chunk * chunkFrames;
            segs.add(Segment.wholeShot(shot.index(), f));
            if (nullOwnShot) {
                ownText = txt.size();
            }
            txt.add(current.text);
            lat.add(encoder.renoise(Arrays.copyOf(current.latents, f * frameSize), current.seed, 0, f));
            ts.add(tContext);
        }
        float[] t = new float[ts.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = ts.get(i);
        }
        float[] latents = concat(lat);
        return new Context(null, null, segs, latents, latents.length / frameSize, concat(txt), txt.size(), t, ownText);
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
