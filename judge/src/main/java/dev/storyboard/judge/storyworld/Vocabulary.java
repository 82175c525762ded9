package dev.storyboard.judge.storyworld;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.storyboard.judge.JudgeException;
import java.util.Locale;

/**
 * The storyworld domain's names (training/storyworld/vocab.py), as the labels spell them.
 */
public final class Vocabulary {
    private Vocabulary() {
    }

    /** Actor kinds. Birds hover in the sky, the others stand on the floor. */
    public enum Kind {
        BALL, CUBE, PYRAMID, STAR, RING, BIRD, FISH;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Actor colours with the renderer's HSV ranges (hue in degrees; red wraps around 0; white and black are
     * achromatic and defined by saturation and value).
     */
    public enum Colour {
        RED(-10, 8, 0.65, 0.95, 0.75, 0.95),
        ORANGE(20, 34, 0.65, 0.95, 0.75, 0.95),
        YELLOW(48, 60, 0.70, 0.95, 0.85, 0.98),
        GREEN(95, 140, 0.65, 0.95, 0.75, 0.95),
        TEAL(172, 190, 0.65, 0.95, 0.75, 0.95),
        BLUE(212, 235, 0.65, 0.95, 0.75, 0.95),
        PURPLE(265, 285, 0.65, 0.95, 0.75, 0.95),
        PINK(318, 338, 0.45, 0.70, 0.88, 0.98),
        WHITE(Double.NaN, Double.NaN, 0.0, 0.06, 0.92, 0.99),
        BLACK(Double.NaN, Double.NaN, 0.0, 0.12, 0.08, 0.16);

        private final double hueLow;
        private final double hueHigh;
        private final double satLow;
        private final double satHigh;
        private final double valueLow;
        private final double valueHigh;

        Colour(double hueLow, double hueHigh, double satLow, double satHigh, double valueLow, double valueHigh) {
            this.hueLow = hueLow;
            this.hueHigh = hueHigh;
            this.satLow = satLow;
            this.satHigh = satHigh;
            this.valueLow = valueLow;
            this.valueHigh = valueHigh;
        }

        public boolean chromatic() {
            return !Double.isNaN(hueLow);
        }

        /** Centre of the hue range in degrees [0, 360) (NaN for white and black). */
        public double hueCentre() {
            if (!chromatic()) {
                return Double.NaN;
            }
            double c = (hueLow + hueHigh) / 2.0;
            return c < 0 ? c + 360 : c;
        }

        public double hueLow() {
            return hueLow;
        }

        public double hueHigh() {
            return hueHigh;
        }

        public double saturationLow() {
            return satLow;
        }

        public double saturationHigh() {
            return satHigh;
        }

        public double valueLow() {
            return valueLow;
        }

        public double valueHigh() {
            return valueHigh;
        }

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Pattern {
        PLAIN, STRIPES, DOTS;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Setting {
        MEADOW, BEACH, NIGHT, DESERT, SNOW, CITY;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Action {
        MOVES_LEFT, MOVES_RIGHT, BOUNCES, SPINS, GROWS, SHRINKS, FALLS, APPROACHES;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The on-screen direction the actor travels (in the world), as the editor describes it. */
        public Direction direction() {
            return switch (this) {
                case MOVES_LEFT -> Direction.LEFT;
                case MOVES_RIGHT -> Direction.RIGHT;
                case BOUNCES -> Direction.UP_DOWN;
                case FALLS -> Direction.DOWN;
                case GROWS, APPROACHES -> Direction.TOWARD;
                case SHRINKS -> Direction.AWAY;
                case SPINS -> Direction.NONE;
            };
        }
    }

    /** Coarse actor motion: where it goes (in world coordinates, camera motion removed). */
    public enum Direction {
        LEFT, RIGHT, UP_DOWN, DOWN, TOWARD, AWAY, NONE;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Camera moves. pan_left moves the camera left, so the world moves right on screen. */
    public enum Camera {
        STATIC, PAN_LEFT, PAN_RIGHT, ZOOM_IN, ZOOM_OUT;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum ShotSize {
        WIDE, MEDIUM, CLOSE_UP;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses a label ("pan_left", "close_up", ...) into the enum constant. */
    public static <E extends Enum<E>> E parse(Class<E> type, String label) {
        if (label == null) {
            throw new JudgeException("missing " + type.getSimpleName().toLowerCase(Locale.ROOT) + " label");
        }
        try {
            return Enum.valueOf(type, label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JudgeException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " \"" + label + "\"");
        }
    }
}
