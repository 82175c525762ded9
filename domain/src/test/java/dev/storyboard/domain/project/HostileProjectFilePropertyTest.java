package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of mutated, truncated and hostile project files fed to the loader: each one either loads as
 * a storyboard that satisfies every timeline and media-path rule, or fails with a {@link ProjectFileException}
 * whose message names the file and stays short. Never another exception, never a hang, and the file on
 * disk is byte-for-byte (and timestamp) untouched.
 */
class HostileProjectFilePropertyTest {
    private static final int MUTATIONS = 16;
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final Pattern NUMBER = Pattern.compile("(?<=: )-?\\d+(\\.\\d+)?");
    private static final Pattern STRING = Pattern.compile("(?<=: )\"[^\"]*\"");
    private static final String[] HOSTILE_NUMBERS = {"-1", "0", "-2147483648", "2147483647", "2147483648",
        "99999999999999999999999", "1e400", "-1e400", "NaN", "\"NaN\"", "\"Infinity\"", "-0.0", "1.5", "null", "true",
        "\"12\"", "[]", "{}", "0x10", "1_000"};
    private static final String[] HOSTILE_PATHS = {"../../etc/passwd", "/etc/passwd", "C:\\\\Windows\\\\x", "a/../../b",
        "..", ".", "shot-1/../../..", "shot-1//take", "shot-1/take\\u0000.png", "~/secret", "shot 1/take", "%2e%2e/x",
        "\\\\\\\\server\\\\share", "shot-1/take-1/"};
    private static byte[] base;
    private static Path dir;
    private static ExecutorService worker;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("storyboard-fuzz");
        Path file = dir.resolve("base.storyboard");
        new ProjectFiles().write(threeShots(), file);
        base = Files.readAllBytes(file);
        worker = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fuzz-load");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void tearDown() throws Exception {
        worker.shutdownNow();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 2000)
    void everyHostileFileLoadsCleanlyOrFailsWithAClearMessage(@ForAll long seed,
                                                             @ForAll @IntRange(min = 0, max = MUTATIONS - 1) int mutation) throws Exception {
        Random random = new Random(seed);
        byte[] bytes = mutate(mutation, random);
        Path file = dir.resolve("case-" + Long.toHexString(seed) + "-" + mutation + ".storyboard");
        Files.write(file, bytes);
        FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, modified);

        Future<Object> outcome = worker.submit(() -> {
            try {
                return new ProjectLoader().load(file);
            } catch (ProjectFileException e) {
                return e;
            }
        });
        Object result;
        try {
            result = outcome.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            outcome.cancel(true);
            fail("loader hung on mutation " + mutation + " seed " + seed);
            return;
        } catch (ExecutionException e) {
            throw new AssertionError("loader crashed with " + e.getCause() + " on mutation " + mutation + " seed " + seed, e.getCause());
        }

        if (result instanceof ProjectFileException e) {
            assertThat(e.getMessage()).as("names the file").contains(file.getFileName().toString());
            assertThat(e.getMessage().length()).as("a readable message, not an echo of the file").isLessThan(1200);
            assertThat(e.getMessage().substring(file.toString().length())).as("says what is wrong").hasSizeGreaterThan(10);
        } else {
            Storyboard sb = ((ProjectLoader.Loaded) result).storyboard();
            assertThat(TimelineInvariants.problems(sb)).isEmpty();
            for (Shot shot : sb.shots()) {
                assertThat(shot.guidance() >= 0 && shot.guidance() <= 20).as("guidance in 0..20").isTrue();
                for (Take take : shot.takes()) {
                    assertThat(MediaPaths.problem(take.mediaFile())).isNull();
                    Path resolved = MediaPaths.resolve(dir.resolve("x.media"), take.mediaFile());
                    assertThat(resolved.normalize().startsWith(dir.resolve("x.media").toAbsolutePath().normalize())).isTrue();
                }
            }
        }
        assertThat(Files.readAllBytes(file)).as("file untouched").isEqualTo(bytes);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).count()).isZero();
        Files.delete(file);
    }

    private static byte[] mutate(int mutation, Random r) {
        String json = new String(base, StandardCharsets.UTF_8);
        return switch (mutation) {
            case 0 -> Arrays.copyOf(base, r.nextInt(base.length)); // truncated
            case 1 -> { // random byte flips
                byte[] b = base.clone();
                for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                yield b;
            }
            case 2 -> replaceOne(json, NUMBER, HOSTILE_NUMBERS[r.nextInt(HOSTILE_NUMBERS.length)], r);
            case 3 -> replaceOne(json, STRING, "\"" + "x".repeat(1 + r.nextInt(3) * 700_000) + "\"", r); // huge strings
            case 4 -> replaceOne(json, Pattern.compile("(?<=\"mediaFile\" : )\"[^\"]*\""),
                    "\"" + HOSTILE_PATHS[r.nextInt(HOSTILE_PATHS.length)] + "\"", r);
            case 5 -> json.replace("storyboard-project/1", switch (r.nextInt(7)) {
                case 0 -> "storyboard-project/2";
                case 1 -> "storyboard-project/999999999";
                case 2 -> "storyboard-project/0";
                case 3 -> "";
                case 4 -> "storyboard-project/1.5";
                case 5 -> "STORYBOARD-PROJECT/1";
                default -> "storyboard-project/-1";
            }).getBytes(StandardCharsets.UTF_8);
            case 6 -> { // nesting bomb
                int depth = 2000 + r.nextInt(50_000);
                yield ("{\"format\":\"storyboard-project/1\",\"storyboard\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> json.replaceFirst("\"title\"", "\"" + (r.nextBoolean() ? "unknownField" : "title") + "\" : 1, \"title\"")
                    .getBytes(StandardCharsets.UTF_8); // unknown or duplicate keys
            case 8 -> { // garbage, empty, BOM, UTF-16
                yield switch (r.nextInt(5)) {
                    case 0 -> new byte[0];
                    case 1 -> randomBytes(r, 1 + r.nextInt(4096));
                    case 2 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, base);
                    case 3 -> json.getBytes(StandardCharsets.UTF_16);
                    default -> "null".getBytes(StandardCharsets.UTF_8);
                };
            }
            case 9 -> manyShots(r);
            case 10 -> { // a field removed
                String[] fields = {"title", "scenePrompt", "fps", "width", "height", "shots", "id", "prompt", "durationFrames",
                    "camera", "shotSize", "seed", "guidance", "takes", "activeTakeId", "generatedFrames", "mediaFile", "format",
                    "storyboard"};
                String f = fields[r.nextInt(fields.length)];
                yield json.replaceFirst("\"" + f + "\" : [^,\\n]*,?", "").getBytes(StandardCharsets.UTF_8);
            }
            case 11 -> replaceOne(json, STRING, switch (r.nextInt(6)) {
                case 0 -> "\"\\u0000\"";
                case 1 -> "\"\"";
                case 2 -> "\"\\ud800\"";
                case 3 -> "\"" + "🎬".repeat(100) + "\"";
                case 4 -> "\"PAN_UP\"";
                default -> "\"\\\"\"";
            }, r);
            case 12 -> json.replace("\"activeTakeId\" : \"c-t2\"", "\"activeTakeId\" : \"" + (r.nextBoolean() ? "nope" : "a-t1") + "\"")
                    .getBytes(StandardCharsets.UTF_8); // active take missing or from another shot
            case 13 -> json.replace("\"id\" : \"b\"", "\"id\" : \"" + (r.nextBoolean() ? "a" : "") + "\"")
                    .getBytes(StandardCharsets.UTF_8); // duplicate or blank ids
            case 14 -> json.replace("\"durationFrames\" : 16", "\"durationFrames\" : " + (r.nextBoolean() ? "2000000000" : "-16"))
                    .replace("\"durationFrames\" : 24", "\"durationFrames\" : 2000000000")
                    .getBytes(StandardCharsets.UTF_8); // overflowing scene length
            default -> { // several mutations at once
                byte[] b = mutate(r.nextInt(MUTATIONS - 1), r);
                if (r.nextBoolean() && b.length > 0) {
                    b = Arrays.copyOf(b, r.nextInt(b.length));
                }
                yield b;
            }
        };
    }

    private static byte[] replaceOne(String json, Pattern pattern, String replacement, Random r) {
        Matcher m = pattern.matcher(json);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        int[] s = spans.get(r.nextInt(spans.size()));
        return (json.substring(0, s[0]) + replacement + json.substring(s[1])).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manyShots(Random r) {
        int n = TimelineInvariants.MAX_SHOTS + 1 + r.nextInt(50);
        StringBuilder sb = new StringBuilder("{\"format\":\"storyboard-project/1\",\"storyboard\":{\"title\":\"t\",\"scenePrompt\":\"\","
                + "\"fps\":8,\"width\":64,\"height\":64,\"shots\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i).append("\",\"prompt\":\"p\",\"durationFrames\":8,")
                    .append("\"camera\":\"STATIC\",\"shotSize\":\"WIDE\",\"seed\":1,\"guidance\":4.0,\"takes\":[],\"activeTakeId\":null}");
        }
        return sb.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Three shots: one with a take, one planned, one with two takes (the second active). */
    private static Storyboard threeShots() {
        Shot a = new Shot("a", "a red ball bounces in a meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1, 4.0,
                List.of(new Take("a-t1", 1, 16, "a/a-t1")), "a-t1");
        Shot b = Shot.planned("b", "the red ball rolls left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2);
        Shot c = new Shot("c", "close on the red ball", 8, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 3, 5.0,
                List.of(new Take("c-t1", 3, 8, "c/c-t1"), new Take("c-t2", 4, 12, "c/c-t2")), "c-t2");
        return new Storyboard("Test scene", "a red striped ball in a sunny meadow", 8, 64, 64, List.of(a, b, c));
    }
}
