package dev.storyboard.domain.project;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The two names of a numbered PNG frame on disk, in one place. They differ on purpose and neither may change
 * on its own:
 * <ul>
 *   <li>{@link #TAKE_MEDIA} {@code frame-000000.png}: a take's frames inside a project's media folder
 *       ({@link MediaStore}). It is part of the project format: every saved project's media folder uses it, so
 *       changing it needs a migration of existing projects.</li>
 *   <li>{@link #PNG_EXPORT} {@code frame_000000.png}: the frames of a PNG export ({@code render --png}). An
 *       earlier export is recognised by it and may be replaced ({@link OutputGuard}, README "Where outputs may
 *       go"), and it is the usual image-sequence pattern of other tools ({@code ffmpeg -i frame_%06d.png}).</li>
 * </ul>
 * Keeping them apart also means a folder of exported frames is never mistaken for a take, nor the reverse.
 */
public enum FrameFileName {
    TAKE_MEDIA("frame-"),
    PNG_EXPORT("frame_");

    private static final String DIGITS = "%06d";
    private static final String EXTENSION = ".png";

    private final String prefix;
    private final Pattern pattern;

    FrameFileName(String prefix) {
        this.prefix = prefix;
        this.pattern = Pattern.compile(Pattern.quote(prefix) + "\\d{6}" + Pattern.quote(EXTENSION));
    }

    /** The file name of frame {@code index} (from 0): {@code frame-000012.png}. */
    public String of(int index) {
        if (index < 0 || index > 999_999) {
            throw new IllegalArgumentException("frame index must be in [0, 999999], was " + index);
        }
        return prefix + String.format(Locale.ROOT, DIGITS, index) + EXTENSION;
    }

    /** Whether {@code fileName} is a frame file of this kind. */
    public boolean matches(String fileName) {
        return pattern.matcher(fileName).matches();
    }
}
