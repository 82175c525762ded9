package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins what the production path (default {@link SceneSession.Options}: chunk-causal streaming from the KV cache,
 * default long-context policy, guidance on first chunks) computes on both tiny models, so a refactor that changes
 * its numerics fails here even where the cache-vs-recompute tests (tolerance 1e-4) would not notice. The scenario
 * crosses every branch of the path: appends, a regeneration that invalidates later caches, extensions of the last
 * and of an earlier shot, caches rebuilt after invalidation, a shot put from stored latents, and a scene long
 * enough that the long-context policy windows chunks (sink / far / recent) and shots (sink / dropped).
 *
 * <p>The reference, {@code production-reference.txt}, holds per result a hash of its latents' bits and, per frame,
 * the mean and 12 strided samples as float bits; it was written
 * with {@code -Dstoryboard.session.writeReference=FILE} by the code before the session's strategy refactor.
 * Equal to the bit on the machine that wrote it (the report counts bit-identical results); the tolerance leaves
 * room for another CPU's kernels only.
 */
class ProductionPathReferenceTest {
    private static final double TOL = 1e-5;
    private static final int STEPS = 2;
    private static final String RESOURCE = "production-reference.txt";
    private static final int SAMPLES = 12;

    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();
    @RegisterExtension
    static final TinyModelExtension PIXEL = new TinyModelExtension(Fixtures.TINY_PIXEL);

    @Test
    void productionLatentsEqualTheReference() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.addAll(scenario("tiny", TINY, ShotLabel.NULL, new ShotLabel(1, 2)));
        lines.addAll(scenario("tiny-pixel", PIXEL, new ShotLabel(2, 3), new ShotLabel(4, 1)));
        String write = System.getProperty("storyboard.session.writeReference");
        if (write != null) {
            Files.write(Path.of(write), lines, StandardCharsets.UTF_8);
            return;
        }
        List<String> expected = reference();
        assertThat(lines).hasSameSizeAs(expected);
        double worst = 0;
        int exact = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] want = expected.get(i).split(" ");
            String[] got = lines.get(i).split(" ");
            assertThat(got[0]).as("result %d", i).isEqualTo(want[0]);
            assertThat(got).as(want[0]).hasSameSizeAs(want);
            exact += got[1].equals(want[1]) ? 1 : 0;
            for (int k = 2; k < got.length; k++) {
                worst = Math.max(worst, Math.abs(decode(got[k]) - decode(want[k])));
            }
        }
        Fixtures.report("session production path vs stored reference (" + exact + " of " + lines.size()
                + " results bit-identical)", worst);
        assertThat(worst).isLessThanOrEqualTo(TOL);
    }

    /** One result per line: "name" then its latents as hex float bits. */
    private static List<String> scenario(String model, TinyModelExtension m, ShotLabel a, ShotLabel b) {
        List<String> out = new ArrayList<>();
        CancellationToken none = CancellationToken.none();
        SceneSession.Options options = SceneSession.Options.defaults().withDecode(false);
        int fs = m.model().config().dit().latentFrameSize();
        try (SceneSession s = new SceneSession(m.model(), m.root(), options)) {
            s.setGlobalCaption(SceneSessionTest.caption(99, 6));
            // shot 0 is 5 chunks long: its last chunk sees sink + far + recent chunks only
            out.add(line(model + "/gen0", s.generateShot(0, request(0, 10, 11, a), ChunkListener.NONE, none), fs));
            out.add(line(model + "/gen1", s.generateShot(1, request(1, 4, 12, b), ChunkListener.NONE, none), fs));
            out.add(line(model + "/ext1", s.extendShot(1, SceneSessionTest.extension(4, 13, 3.0, STEPS), ChunkListener.NONE, none), fs));
            out.add(line(model + "/gen2", s.generateShot(2, request(2, 2, 14, a), ChunkListener.NONE, none), fs));
            // shot 4 sees shot 0 as a sink and drops shot 1
            out.add(line(model + "/gen3", s.generateShot(3, request(3, 2, 15, b), ChunkListener.NONE, none), fs));
            out.add(line(model + "/gen4", s.generateShot(4, request(4, 4, 16, a), ChunkListener.NONE, none), fs));
            // regenerating shot 1 invalidates 2..4; extending shot 0 invalidates everything after it
            out.add(line(model + "/regen1", s.generateShot(1, request(5, 2, 17, b), ChunkListener.NONE, none), fs));
            out.add(line(model + "/ext0", s.extendShot(0, SceneSessionTest.extension(2, 18, 2.0, STEPS), ChunkListener.NONE, none), fs));
            out.add(line(model + "/gen5", s.generateShot(5, request(6, 2, 19, a), ChunkListener.NONE, none), fs));
            // a new session given the first shot as stored latents
            try (SceneSession t = new SceneSession(m.model(), m.root(), options)) {
                t.setGlobalCaption(SceneSessionTest.caption(99, 6));
                t.putShot(0, new SceneSession.ShotContent(SceneSessionTest.caption(0, 5), s.latents(0), s.frames(0), 11, "s0", a));
                out.add(line(model + "/put-gen1", t.generateShot(1, request(7, 4, 20, b), ChunkListener.NONE, none), fs));
            }
        }
        return out;
    }

    private static SceneSession.ShotRequest request(int captionSeed, int frames, long seed, ShotLabel label) {
        return new SceneSession.ShotRequest(SceneSessionTest.caption(captionSeed, 5), frames, seed, 3.0, STEPS, label);
    }

    private static String line(String name, SceneSession.Result r, int frameSize) {
        StringBuilder sb = new StringBuilder(name);
        sb.append(':').append(r.frames()).append(':').append(r.firstNewFrame()).append(':')
                .append(r.staleShots().toString().replace(" ", ""));
        sb.append(' ').append(Integer.toHexString(Arrays.hashCode(r.latents())));
        float[] z = r.latents();
        for (int f = 0; f < r.frames(); f++) {
            double sum = 0;
            for (int i = 0; i < frameSize; i++) {
                sum += z[f * frameSize + i];
            }
            sb.append(' ').append(hex((float) (sum / frameSize)));
            for (int k = 0; k < SAMPLES; k++) {
                sb.append(' ').append(hex(z[f * frameSize + k * frameSize / SAMPLES]));
            }
        }
        return sb.toString();
    }

    private static String hex(float v) {
        return Integer.toHexString(Float.floatToRawIntBits(v));
    }

    private static double decode(String hex) {
        return Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
    }

    private static List<String> reference() throws IOException {
        try (InputStream in = Objects.requireNonNull(ProductionPathReferenceTest.class.getResourceAsStream(RESOURCE),
                RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
