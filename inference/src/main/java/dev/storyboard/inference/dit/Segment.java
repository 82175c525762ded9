package dev.storyboard.inference.dit;

/**
 * A contiguous run of tokens of one forward pass that share one timestep (docs/STORYDIT.md §3).
 *
 * <pre>
 *   Segment(shot = -1, text = true)                          the global caption (text only)
 *   Segment(shot = i,  text = true,  frameStart = 0, F)      a whole shot: its text, then its F frames
 *   Segment(shot = i,  text = false, frameStart = a, n)      frames a .. a+n-1 of shot i (an extension chunk)
 * </pre>
 *
 * @param shot       shot index, {@link #GLOBAL_SHOT} for the global caption
 * @param text       the segment starts with the shot's l_txt caption tokens
 * @param frameStart first latent frame (counted from the shot's start) of the segment's video tokens
 * @param nFrames    latent frames of video in this segment
 */
public record Segment(int shot, boolean text, int frameStart, int nFrames) {
    public static final int GLOBAL_SHOT = -1;

    public Segment {
        if (shot < GLOBAL_SHOT || frameStart < 0 || nFrames < 0) {
            throw new IllegalArgumentException("bad segment " + shot + "/" + frameStart + "/" + nFrames);
        }
        if (shot == GLOBAL_SHOT && (!text || nFrames != 0)) {
            throw new IllegalArgumentException("the global segment is text only");
        }
        if (!text && nFrames == 0) {
            throw new IllegalArgumentException("empty segment of shot " + shot);
        }
    }

    public static Segment globalCaption() {
        return new Segment(GLOBAL_SHOT, true, 0, 0);
    }

    /** A whole shot: text then frames 0..frames-1. */
    public static Segment wholeShot(int shot, int frames) {
        return new Segment(shot, true, 0, frames);
    }

    /** Frames {@code start .. start+n-1} of a shot, without its text. */
    public static Segment frames(int shot, int start, int n) {
        return new Segment(shot, false, start, n);
    }

    public boolean isGlobal() {
        return shot == GLOBAL_SHOT;
    }
}
