package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.storyworld.Vocabulary.Action;
import dev.storyboard.judge.storyworld.Vocabulary.Camera;
import dev.storyboard.judge.storyworld.Vocabulary.Colour;
import dev.storyboard.judge.storyworld.Vocabulary.Direction;
import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import dev.storyboard.judge.storyworld.Vocabulary.Pattern;
import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the storyworld judge sees in one shot, from its frames alone. Every number is finite.
 *
 * @param index             shot index in the scene
 * @param setting           the setting the background matches best (scene-level when judged as a scene)
 * @param settingFit        per setting: mean squared distance of the shot's pixels to its paints (lower fits
 *                          better, capped at 12&sup2;)
 * @param renderNoise       median distance of the pixels to the setting's paints (8-bit units): about 0.4 for
 *                          exact renders, more for compressed or generated frames
 * @param paletteTolerance  the palette tolerance used (cells of 4 units), picked from the render noise
 * @param paintAdherence    share of pixels outside the actor that one of the setting's paints (or a mixture of
 *                          two touching paints) explains: 1 for a clean storyworld background
 * @param actorVisibleFrames frames with an actor mask
 * @param colour            actor colour class
 * @param hue               hue of the actor's colour ray, degrees [0, 360)
 * @param saturation        saturation of the ray, 0..1
 * @param value             brightness of the brightest actor pixels, 0..1
 * @param kind              best fitting actor kind
 * @param kindFit           per kind: mean IoU of its best template fit over the frames used
 * @param pattern           plain, stripes or dots
 * @param patternDarkShare  share of the actor's inner pixels at pattern brightness (about 0.55 of the fill)
 * @param patternElongation mean elongation of the dark pattern marks (stripes long, dots round)
 * @param patternReliable   the actor is big enough (&ge; 80 px inside) for the pattern call to mean much
 * @param camera            camera move
 * @param cameraZoom        total zoom factor over the shot (&gt; 1 zooms in)
 * @param cameraShiftX      total background shift, fraction of the frame width (&gt; 0: the world moves right,
 *                          i.e. the camera pans left)
 * @param cameraShiftY      the same vertically, fraction of the height
 * @param horizontalObservable whether the background had enough horizontal texture to see a pan
 * @param action            actor action
 * @param direction         coarse motion direction of the action
 * @param motion            actor motion with the camera removed, in frame heights: dx, dy (down), lift (highest
 *                          rise above the start), logSize (log of the size ratio last/first), screenDx
 * @param notes             what went wrong or was uncertain, for people
 */
public record ShotVerdict(
        int index,
        Setting setting,
        Map<String, Double> settingFit,
        double renderNoise,
        int paletteTolerance,
        double paintAdherence,
        int actorVisibleFrames,
        Colour colour,
        double hue,
        double saturation,
        double value,
        Kind kind,
        Map<String, Double> kindFit,
        Pattern pattern,
        double patternDarkShare,
        double patternElongation,
        boolean patternReliable,
        Camera camera,
        double cameraZoom,
        double cameraShiftX,
        double cameraShiftY,
        boolean horizontalObservable,
        Action action,
        Direction direction,
        Map<String, Double> motion,
        List<String> notes) {

    /** The setting this shot's own pixels fit best (lowest fit), whatever was decided for its scene. */
    public String ownSetting() {
        return settingFit.entrySet().stream().min(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).orElse(setting.label());
    }

    public ShotVerdict {
        settingFit = Collections.unmodifiableMap(new LinkedHashMap<>(settingFit));
        kindFit = Collections.unmodifiableMap(new LinkedHashMap<>(kindFit));
        motion = Collections.unmodifiableMap(new LinkedHashMap<>(motion));
        notes = List.copyOf(notes);
    }
}
