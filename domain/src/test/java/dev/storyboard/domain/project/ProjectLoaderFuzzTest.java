package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded property-based fuzz of the project loader (issue 18): 12,000 mutated project documents. The only
 * exception the loader may throw is the documented {@link ProjectFileException}, and its message never
 * holds a raw control character. A failure prints the seed and the input (Base64) to reproduce it.
 */
class ProjectLoaderFuzzTest {
    static final long SEED = 0x5708_B0A2DL;
    static final int CASES = 12_000;
    private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e999", "-0", "16.5",
        "\"16\"", "\\u0000", "\\ud800", "\u0000", "\u001b[2J", "\"format\":\"storyboard-project/2\",",
        "\"format\":\"storyboard-project/1\",", "\"durationFrames\":1,", "9223372036854775808", "2147483647", "-1",
        "\"mediaFile\":\"../../etc\",", "NaN", "\"\\udfff\"", "/*", "'", "\ufeff"};

    @TempDir Path dir;

    @Test
    @Timeout(60)
    void mutatedProjectsFailOnlyWithTheDocumentedException() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> bases = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Path file = dir.resolve("base" + i + ".storyboard");
            new ProjectFiles().write(randomStoryboard(random), file);
            bases.add(Files.readAllBytes(file));
        }
        ProjectLoader loader = new ProjectLoader();
        int accepted = 0;
        for (int n = 0; n < CASES; n++) {
            byte[] input = mutate(bases.get(random.nextInt(bases.size())), random);
            try {
                loader.parse(input, Path.of("fuzz.storyboard"));
                accepted++;
            } catch (ProjectFileException e) {
                assertThat(e.getMessage()).as("case %d", n).doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f]")
                        .startsWith("fuzz.storyboard: ");
            } catch (Throwable t) {
                throw new AssertionError("case " + n + " (seed " + SEED + "): undocumented " + t + " for input "
                        + Base64.getEncoder().encodeToString(input), t);
            }
        }
        assertThat(accepted).as("some mutations stay valid").isPositive().isLessThan(CASES);
    }

    private static byte[] mutate(byte[] base, Random random) {
        String s = new String(base, StandardCharsets.UTF_8);
        int ops = 1 + random.nextInt(3);
        for (int k = 0; k < ops && !s.isEmpty(); k++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(7)) {
                case 0 -> s = s.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + s.substring(at);
                case 1 -> s = s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + random.nextInt(20)));
                case 2 -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(80));
                    s = s.substring(0, end) + s.substring(at, end) + s.substring(end);
                }
                case 3 -> s = s.substring(0, at);
                case 4 -> s = s.replaceFirst("\\d+", Long.toString(random.nextLong() >> random.nextInt(64)));
                case 5 -> s = s.substring(0, at) + "[".repeat(random.nextInt(3000)) + s.substring(at);
                default -> {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    return b;
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String randomText(Random random, int max) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            sb.append(kind < 6 ? (char) ('a' + random.nextInt(26)) : kind < 8 ? (char) random.nextInt(0x40)
                    : (char) random.nextInt(0x10000));
        }
        return sb.toString();
    }

    static Storyboard randomStoryboard(Random random) {
        List<Shot> shots = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            int frames = 1 + random.nextInt(40);
            List<Take> takes = random.nextBoolean() ? List.of(new Take("t" + i, random.nextLong(), frames, "s" + i + "/t" + i))
                    : List.of();
            shots.add(new Shot("s" + i + randomText(random, 3), randomText(random, 30), frames,
                    CameraMove.values()[random.nextInt(CameraMove.values().length)],
                    ShotSize.values()[random.nextInt(ShotSize.values().length)], random.nextLong(), random.nextInt(10),
                    takes, takes.isEmpty() ? null : takes.get(0).id()));
        }
        return new Storyboard(randomText(random, 20), randomText(random, 20), 1 + random.nextInt(60),
                2 + random.nextInt(200), 2 + random.nextInt(200), shots);
    }
}
