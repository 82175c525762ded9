package dev.storyboard.inference.dit;

/**
 * The class labels of one segment's shot for a {@code shot_cond} model ({@code model.py shot_label}): label
 * i + 1 is entry i of the config's {@code cameras} / {@code shot_sizes}; 0 is the null label (unknown, or dropped
 * for classifier-free guidance).
 *
 * @param camera   camera-move label, 0 = null
 * @param shotSize shot-size label, 0 = null
 */
public record ShotLabel(int camera, int shotSize) {
    /** Both labels null. */
    public static final ShotLabel NULL = new ShotLabel(0, 0);

    public ShotLabel {
        if (camera < 0 || shotSize < 0) {
            throw new IllegalArgumentException("shot labels must be ≥ 0 (0 = null), got camera " + camera
                    + ", shot size " + shotSize);
        }
    }

    public boolean isNull() {
        return camera == 0 && shotSize == 0;
    }
}
