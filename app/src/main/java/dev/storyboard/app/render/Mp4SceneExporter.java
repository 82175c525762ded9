package dev.storyboard.app.render;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.export.SceneExporter;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.media.export.FrameHold;
import dev.storyboard.media.export.FrameSequence;
import dev.storyboard.media.export.Mp4Exporter;
import dev.storyboard.media.export.Mp4Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The editor's MP4 export: frames of the active takes from the media folder, encoded by {@link Mp4Exporter}. */
public final class Mp4SceneExporter implements SceneExporter {
    private final Supplier<Mp4Exporter> mp4Exporter;

    public Mp4SceneExporter() {
        this(Mp4Exporter::new);
    }

    /** Tests inject a full disk through the encoder. */
    public Mp4SceneExporter(Supplier<Mp4Exporter> mp4Exporter) {
        this.mp4Exporter = mp4Exporter;
    }

    @Override
    public void exportMp4(Storyboard storyboard, Path mediaDir, Path target, EditorialRate rate, Progress progress,
                          BooleanSupplier cancelled) throws IOException {
        OutputGuard.forMediaFolder(mediaDir).checkFile(target, ".mp4");
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < storyboard.shots().size(); i++) {
            all.add(i);
        }
        if (all.isEmpty()) {
            throw new IOException("the scene has no shots to export");
        }
        List<VideoFrame> frames;
        try {
            frames = new SceneRenderer(Optional::empty, 0).frames(storyboard, mediaDir, all, line -> { });
        } catch (RenderException e) {
            throw new IOException(e.getMessage().replace("shot(s)", "Shot(s)"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("export interrupted", e);
        }
        int w = storyboard.width() + storyboard.width() % 2;
        int h = storyboard.height() + storyboard.height() % 2;
        try {
            frames = FrameHold.conform(frames, storyboard.fps(), rate);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        mp4Exporter.get().export(FrameSequence.of(frames), Mp4Settings.of(rate, w, h), target,
                progress::framesWritten, cancelled);
    }
}
