package dev.storyboard.judge.report;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.metrics.SceneCutDetector;
import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Scenes from disk. A path can be:
 * <ul>
 *   <li>a video file (MP4, AVI, MKV, MOV, WebM, ...): one scene of one shot, decoded at PySceneDetect's
 *   analysis size (long side about 256 px); with {@code splitAtCuts}, one shot per stretch between cuts;</li>
 *   <li>a storyworld export folder (with {@code clips.json}): one scene per clip, with labels;</li>
 *   <li>a storyworld clip folder (with {@code labels.json}): one labelled scene;</li>
 *   <li>a folder of frame images (PNG, JPEG, BMP, sorted by name): one scene of one shot;</li>
 *   <li>a folder of video files: one scene per file.</li>
 * </ul>
 */
public final class FileSceneSource implements SceneSource {
    private static final List<String> VIDEO = List.of(".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg",
            ".mpeg", ".gif");
    private static final List<String> IMAGE = List.of(".png", ".jpg", ".jpeg", ".bmp");

    private enum Kind { VIDEO_FILE, EXPORT, LABELLED_CLIP, IMAGE_FOLDER, VIDEO_FOLDER }

    private final String label;
    private final Path path;
    private final Kind kind;
    private final double fps;
    private final int chunk;
    private final int maxFrames;
    private final boolean splitAtCuts;
    private final List<String> ids;

    /**
     * @param label     run label in reports
     * @param path      see the class comment
     * @param fps       frame rate for image frames (storyworld exports and image folders)
     * @param chunk     chunk length in frames for seam scores (0: none)
     * @param maxFrames decode at most this many frames per video (0: all)
     */
    public FileSceneSource(String label, Path path, double fps, int chunk, int maxFrames) {
        this(label, path, fps, chunk, maxFrames, false);
    }

    /**
     * @param splitAtCuts cut video files into shots where SCuts (start exempt) finds cuts, so a multi-shot video
     *                    is judged as a scene of several shots
     */
    public FileSceneSource(String label, Path path, double fps, int chunk, int maxFrames, boolean splitAtCuts) {
        this.label = label;
        this.splitAtCuts = splitAtCuts;
        this.path = path;
        this.fps = fps;
        this.chunk = chunk;
        this.maxFrames = maxFrames;
        if (!Files.exists(path)) {
            throw new JudgeException("cannot read " + path + ": no such file or folder");
        }
        if (Files.isRegularFile(path)) {
            kind = Kind.VIDEO_FILE;
            ids = List.of(path.getFileName().toString());
        } else if (Files.isRegularFile(path.resolve("clips.json"))) {
            kind = Kind.EXPORT;
            ids = StoryworldExport.clipIds(path);
        } else if (Files.isRegularFile(path.resolve("labels.json"))) {
            kind = Kind.LABELLED_CLIP;
            ids = List.of(path.getFileName().toString());
        } else if (!list(path, IMAGE).isEmpty()) {
            kind = Kind.IMAGE_FOLDER;
            ids = List.of(path.getFileName().toString());
        } else {
            List<Path> videos = list(path, VIDEO);
            if (videos.isEmpty()) {
                throw new JudgeException(path + " holds no videos, frame images, clips.json or labels.json");
            }
            kind = Kind.VIDEO_FOLDER;
            ids = videos.stream().map(p -> p.getFileName().toString()).toList();
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public List<String> sceneIds() {
        return ids;
    }

    @Override
    public SceneInput load(String id) {
        switch (kind) {
            case VIDEO_FILE:
                return video(path);
            case VIDEO_FOLDER:
                return video(path.resolve(id));
            case EXPORT:
                return labelled(path.resolve(id));
            case LABELLED_CLIP:
                return labelled(path);
            case IMAGE_FOLDER: {
                Clip clip = VideoReader.readImages(id, list(path, IMAGE), fps);
                return new SceneInput(id, path, List.of(shot(id + "/shot0", clip, null)), null);
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    private SceneInput video(Path file) {
        Clip clip = VideoReader.read(file, maxFrames, VideoReader.Resolution.SCENE_DETECT);
        String id = file.getFileName().toString();
        if (!splitAtCuts) {
            return new SceneInput(id, file, List.of(shot(id + "/shot0", clip, null)), null);
        }
        List<Integer> cuts = SceneCutDetector.detect(clip, SceneCutDetector.Params.ANYWHERE).cuts();
        List<ShotInput> shots = new ArrayList<>();
        int start = 0;
        for (int end : concat(cuts, clip.frameCount())) {
            if (end - start >= 2) {
                String sid = id + "/shot" + shots.size();
                shots.add(shot(sid, clip.slice(start, end, sid), null));
            }
            start = end;
        }
        if (shots.isEmpty()) {
            shots.add(shot(id + "/shot0", clip, null));
        }
        return new SceneInput(id, file, shots, null);
    }

    private static List<Integer> concat(List<Integer> cuts, int end) {
        List<Integer> out = new ArrayList<>(cuts);
        out.add(end);
        return out;
    }

    private SceneInput labelled(Path dir) {
        StoryworldExport.LabelledScene scene = StoryworldExport.readScene(dir, fps);
        List<ShotInput> shots = new ArrayList<>();
        for (int i = 0; i < scene.shots().size(); i++) {
            shots.add(shot(scene.id() + "/shot" + i, scene.shots().get(i), scene.labels().shots().get(i)));
        }
        return new SceneInput(scene.id(), dir, shots, scene.labels());
    }

    private ShotInput shot(String id, Clip clip, StoryworldExport.ShotLabels labels) {
        return new ShotInput(id, clip, ShotInput.everyChunk(clip.frameCount(), chunk), labels);
    }

    private static List<Path> list(Path dir, List<String> suffixes) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> suffixes.stream().anyMatch(x -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(x)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new JudgeException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
