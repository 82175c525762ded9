package dev.storyboard.app.render;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Which shots to render, as the user writes them: {@code 2}, {@code 1-3}, {@code 1,3,5-6} (1-based). */
public final class ShotRange {
    private ShotRange() {
    }

    /** 0-based shot indices in timeline order; all shots when {@code spec} is null. */
    public static List<Integer> parse(String spec, int shotCount) {
        if (shotCount == 0) {
            throw new IllegalArgumentException("the project has no shots");
        }
        if (spec == null || spec.isBlank()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < shotCount; i++) {
                all.add(i);
            }
            return all;
        }
        TreeSet<Integer> picked = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            int from;
            int to;
            try {
                if (p.contains("-")) {
                    String[] ends = p.split("-", 2);
                    from = Integer.parseInt(ends[0].strip());
                    to = Integer.parseInt(ends[1].strip());
                } else {
                    from = Integer.parseInt(p);
                    to = from;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad shot range '" + spec + "': write shots like 2, 1-3 or 1,3,5-6");
            }
            if (from < 1 || to > shotCount || from > to) {
                throw new IllegalArgumentException("shot range '" + p + "' is outside 1-" + shotCount
                        + " (the project has " + shotCount + " shots)");
            }
            for (int i = from; i <= to; i++) {
                picked.add(i - 1);
            }
        }
        return new ArrayList<>(picked);
    }
}
