package dev.storyboard.judge.editor;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.domain.quality.QualityFlag;
import java.util.List;

/** The editor's live chunk check: {@link ChunkInspector}'s flags in the domain's words. */
public final class EditorChunkCheck implements ChunkCheck {
    private final ChunkInspector inspector;

    public EditorChunkCheck() {
        this(new ChunkInspector());
    }

    public EditorChunkCheck(ChunkInspector inspector) {
        this.inspector = inspector;
    }

    @Override
    public List<QualityFlag> inspect(List<VideoFrame> shotFrames, int chunkStart, double fps) {
        if (shotFrames.size() < 2 || chunkStart >= shotFrames.size()) {
            return List.of();
        }
        return inspector.inspect(shotFrames, chunkStart, fps).flags().stream()
                .map(f -> new QualityFlag(f.type().label(), f.frame(), f.message()))
                .toList();
    }
}
