package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weight-free judge for the storyworld training domain: from frames alone it names the setting, the actor's
 * colour, kind and pattern, the camera move and the actor's action per shot, and checks that a multi-shot
 * scene keeps its actor and setting. Classical computer vision only (palette elimination, template fits,
 * direct global-motion estimation); see docs/JUDGE.md.
 */
public final class StoryworldJudge {
    /** Largest hue difference (degrees) between shots of one actor. */
    public static final double HUE_TOLERANCE = 10.0;

    private final ShotAnalyzer analyzer;

    public StoryworldJudge() {
        this(new ShotAnalyzer());
    }

    public StoryworldJudge(ShotAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** Judges one shot on its own (its setting from its own pixels). */
    public ShotVerdict judgeShot(Clip shot, int index) {
        check(shot);
        double[] fit = analyzer.settingFit(shot);
        return analyzer.analyse(shot, index, ShotAnalyzer.best(fit), fit);
    }

    /**
     * Judges the shots of one scene: the setting is decided for the whole scene (summed fit), each shot is
     * analysed in it, then every shot's actor is compared with the first shot's.
     */
    public SceneVerdict judgeScene(List<Clip> shots) {
        if (shots.isEmpty()) {
            throw new JudgeException("a scene needs at least one shot");
        }
        List<double[]> fits = new ArrayList<>();
        double[] sum = new double[Setting.values().length];
        for (Clip shot : shots) {
            check(shot);
            double[] fit = analyzer.settingFit(shot);
            fits.add(fit);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += fit[i];
            }
        }
        Setting setting = ShotAnalyzer.best(sum);
        // one palette tolerance for the scene, from its shots' median render noise
        double[] noise = new double[shots.size()];
        for (int i = 0; i < shots.size(); i++) {
            noise[i] = analyzer.renderNoise(shots.get(i), setting);
        }
        double[] sorted = noise.clone();
        Arrays.sort(sorted);
        int tolerance = analyzer.toleranceFor(sorted[sorted.length / 2]);
        List<ShotVerdict> verdicts = new ArrayList<>();
        int agree = 0;
        double minAdherence = 1.0;
        for (int i = 0; i < shots.size(); i++) {
            ShotVerdict v = analyzer.analyse(shots.get(i), i, setting, fits.get(i), noise[i], tolerance);
            verdicts.add(v);
            if (ShotAnalyzer.best(fits.get(i)) == setting) {
                agree++;
            }
            minAdherence = Math.min(minAdherence, v.paintAdherence());
        }
        List<IdentityCheck> checks = new ArrayList<>();
        int consistent = 0;
        for (int i = 1; i < verdicts.size(); i++) {
            IdentityCheck c = compare(verdicts.get(0), verdicts.get(i));
            checks.add(c);
            if (c.consistent()) {
                consistent++;
            }
        }
        double identity = checks.isEmpty() ? 1.0 : consistent / (double) checks.size();
        return new SceneVerdict(setting, verdicts, checks, identity, agree / (double) shots.size(), minAdherence);
    }

    /** Identity check of shot b's actor against shot a's. */
    public static IdentityCheck compare(ShotVerdict a, ShotVerdict b) {
        boolean chromatic = a.colour().chromatic() && b.colour().chromatic();
        double dh = chromatic ? ShotAnalyzer.hueDifference(a.hue(), b.hue()) : 0.0;
        boolean sameColour = a.colour() == b.colour() && (!chromatic || dh <= HUE_TOLERANCE);
        boolean sameKind = a.kind() == b.kind();
        boolean compared = a.patternReliable() && b.patternReliable();
        boolean samePattern = !compared || a.pattern() == b.pattern();
        return new IdentityCheck(a.index(), b.index(), sameColour, dh, sameKind, samePattern, compared,
                sameColour && sameKind && samePattern);
    }

    private static void check(Clip shot) {
        shot.requireFrames(2, "the storyworld judge (camera and action)");
    }
}
