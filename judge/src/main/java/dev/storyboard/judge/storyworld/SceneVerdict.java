package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import java.util.List;

/**
 * The storyworld judge's view of a multi-shot scene.
 *
 * @param setting              the setting all shots were judged in (best summed fit over the shots)
 * @param shots                per-shot verdicts
 * @param identity             identity checks of every shot against the first shot (shot 0 against itself is
 *                             left out)
 * @param identityConsistency  share of those checks that pass (1 for a single shot)
 * @param settingConsistency   share of shots whose own best setting is the scene's setting
 * @param minPaintAdherence    the lowest background paint adherence among the shots (layout proxy)
 */
public record SceneVerdict(Setting setting, List<ShotVerdict> shots, List<IdentityCheck> identity,
                           double identityConsistency, double settingConsistency, double minPaintAdherence) {
    public SceneVerdict {
        shots = List.copyOf(shots);
        identity = List.copyOf(identity);
    }
}
