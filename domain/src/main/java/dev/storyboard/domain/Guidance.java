package dev.storyboard.domain;

import java.util.Locale;

/**
 * The classifier-free guidance scale a shot may ask for, one range for the shot value, the project loader,
 * the engine's request check and the editor's spinner: {@value #MIN} to {@value #MAX}, new shots at
 * {@value #DEFAULT}. 0 ignores the prompt, 1 is the plain conditional model, above 1 follows the prompt more
 * literally; past 20 the sampler only saturates colours.
 */
public final class Guidance {
    public static final double MIN = 0;
    public static final double MAX = 20;
    public static final double DEFAULT = 4.0;

    private Guidance() {
    }

    /** Whether {@code guidance} is in [{@value #MIN}, {@value #MAX}] (NaN is not). */
    public static boolean isValid(double guidance) {
        return guidance >= MIN && guidance <= MAX;
    }

    /** "guidance must be in [0, 20], was 25.0": the one message for a value outside the range. */
    public static String problem(double guidance) {
        return String.format(Locale.ROOT, "guidance must be in [%s, %s], was %s", format(MIN), format(MAX), guidance);
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
