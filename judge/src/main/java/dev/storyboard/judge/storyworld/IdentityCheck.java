package dev.storyboard.judge.storyworld;

/**
 * Does the actor of shot {@code b} look like the actor of shot {@code a}? Same colour class with the hue within
 * {@link StoryworldJudge#HUE_TOLERANCE} degrees (chromatic actors), same kind, and same pattern when both
 * shots show the actor big enough to tell.
 *
 * @param a               reference shot
 * @param b               compared shot
 * @param sameColour      colour class equal and hue within tolerance
 * @param hueDifference   degrees (0 for achromatic pairs)
 * @param sameKind        kind equal
 * @param samePattern     pattern equal, or not comparable (true)
 * @param patternCompared whether both pattern calls were reliable
 * @param consistent      all of the above
 */
public record IdentityCheck(int a, int b, boolean sameColour, double hueDifference, boolean sameKind,
                            boolean samePattern, boolean patternCompared, boolean consistent) {
}
