package dev.storyboard.judge.storyworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.storyworld.Vocabulary.Action;
import dev.storyboard.judge.storyworld.Vocabulary.Camera;
import dev.storyboard.judge.storyworld.Vocabulary.Colour;
import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import dev.storyboard.judge.storyworld.Vocabulary.Pattern;
import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import dev.storyboard.judge.storyworld.Vocabulary.ShotSize;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a storyworld export ({@code python3 -m storyworld.export}): {@code clips.json} plus one folder per clip
 * with {@code labels.json} and PNG frames. Frame rate: the export has none; {@link #DEFAULT_FPS} is assumed.
 */
public final class StoryworldExport {
    /** Frame rate assumed for exported PNG frames (the renderer has no time base). */
    public static final double DEFAULT_FPS = 8.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Identity labels of the actor. */
    public record ActorLabels(Kind kind, Colour colour, double hue, double saturation, double value,
                              Pattern pattern, String size) {
    }

    /** Labels of one shot. */
    public record ShotLabels(int index, Action action, Camera camera, ShotSize shotSize, boolean continuesPrevious,
                             String caption, List<String> frameFiles) {
        public ShotLabels {
            frameFiles = List.copyOf(frameFiles);
        }
    }

    /** Labels of one clip (scene). */
    public record SceneLabels(int seed, String mode, ActorLabels actor, Setting setting, List<ShotLabels> shots) {
        public SceneLabels {
            shots = List.copyOf(shots);
        }
    }

    /** A labelled scene with its shots' frames. */
    public record LabelledScene(String id, Path dir, SceneLabels labels, List<Clip> shots) {
        public LabelledScene {
            shots = List.copyOf(shots);
        }
    }

    private StoryworldExport() {
    }

    /** Clip folder names listed in {@code dir/clips.json}, in order. */
    public static List<String> clipIds(Path dir) {
        Path index = dir.resolve("clips.json");
        JsonNode root = readJson(index);
        JsonNode clips = root.get("clips");
        if (clips == null || !clips.isArray()) {
            throw new JudgeException(index + ": no \"clips\" array (is this a storyworld export?)");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode c : clips) {
            ids.add(text(c, "id", index));
        }
        return ids;
    }

    /** Reads {@code clipDir/labels.json}. */
    public static SceneLabels readLabels(Path clipDir) {
        Path file = clipDir.resolve("labels.json");
        JsonNode root = readJson(file);
        JsonNode actor = field(root, "actor", file);
        ActorLabels a = new ActorLabels(
                Vocabulary.parse(Kind.class, text(actor, "kind", file)),
                Vocabulary.parse(Colour.class, text(actor, "colour", file)),
                actor.path("hue").asDouble(), actor.path("saturation").asDouble(), actor.path("value").asDouble(),
                Vocabulary.parse(Pattern.class, text(actor, "pattern", file)),
                actor.path("size").asText(""));
        Setting setting = Vocabulary.parse(Setting.class, text(field(root, "setting", file), "name", file));
        List<ShotLabels> shots = new ArrayList<>();
        JsonNode shotArray = field(root, "shots", file);
        for (JsonNode s : shotArray) {
            List<String> frames = new ArrayList<>();
            for (JsonNode f : s.path("frames")) {
                frames.add(f.asText());
            }
            shots.add(new ShotLabels(s.path("index").asInt(shots.size()),
                    Vocabulary.parse(Action.class, text(s, "action", file)),
                    Vocabulary.parse(Camera.class, text(s, "camera", file)),
                    Vocabulary.parse(ShotSize.class, text(s, "shot_size", file)),
                    s.path("continues_previous").asBoolean(false), s.path("caption").asText(""), frames));
        }
        if (shots.isEmpty()) {
            throw new JudgeException(file + ": no shots");
        }
        return new SceneLabels(root.path("seed").asInt(), root.path("mode").asText("multishot"), a, setting, shots);
    }

    /** Reads labels and every shot's PNG frames of one clip folder. */
    public static LabelledScene readScene(Path clipDir, double fps) {
        SceneLabels labels = readLabels(clipDir);
        List<Clip> shots = new ArrayList<>();
        for (ShotLabels s : labels.shots()) {
            if (s.frameFiles().isEmpty()) {
                throw new JudgeException(clipDir.resolve("labels.json") + ": shot " + s.index() + " lists no frames");
            }
            List<Path> files = s.frameFiles().stream().map(clipDir::resolve).toList();
            shots.add(VideoReader.readImages(clipDir.getFileName() + " shot " + s.index(), files, fps));
        }
        return new LabelledScene(clipDir.getFileName().toString(), clipDir, labels, shots);
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new JudgeException("cannot read " + file + ": file does not exist");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new JudgeException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode node, String name, Path file) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new JudgeException(file + ": missing \"" + name + "\"");
        }
        return v;
    }

    private static String text(JsonNode node, String name, Path file) {
        return field(node, name, file).asText();
    }
}
