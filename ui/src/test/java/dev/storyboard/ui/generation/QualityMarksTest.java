package dev.storyboard.ui.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.domain.quality.QualityFlag;
import dev.storyboard.ui.concurrent.Background;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class QualityMarksTest {
    private static List<VideoFrame> frames(int n) {
        List<VideoFrame> f = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            f.add(new VideoFrame(2, 2, new int[4]));
        }
        return f;
    }

    /** A check that flags a seam at every chunk start after the first, and records what it was given. */
    private static final class SeamEverywhere implements ChunkCheck {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<QualityFlag> inspect(List<VideoFrame> shotFrames, int chunkStart, double fps) {
            calls.add(shotFrames.size() + "@" + chunkStart);
            return chunkStart == 0 ? List.of() : List.of(new QualityFlag("seam", chunkStart, "jump at the chunk start"));
        }
    }

    @Test
    void everyChunkIsCheckedAndItsFlagsLandByTake() {
        SeamEverywhere check = new SeamEverywhere();
        QualityMarks marks = new QualityMarks(check, Background.sameThread());
        marks.chunkArrived("t1", frames(4), 0, 8);
        assertThat(marks.of("t1")).isEmpty();
        assertThat(marks.byTake()).doesNotContainKey("t1");
        marks.chunkArrived("t1", frames(8), 4, 8);
        marks.chunkArrived("t1", frames(12), 8, 8);
        assertThat(check.calls).containsExactly("4@0", "8@4", "12@8");
        assertThat(marks.of("t1")).extracting(QualityFlag::frame).containsExactly(4, 8);
        marks.truncate("t1", 8);                       // an extension was undone
        assertThat(marks.of("t1")).extracting(QualityFlag::frame).containsExactly(4);
        marks.chunkArrived("t1", frames(8), 4, 8);     // the same chunk again replaces its flags
        assertThat(marks.of("t1")).hasSize(1);
        marks.forget("t1");
        assertThat(marks.byTake()).isEmpty();
    }

    @Test
    void theCheckRunsInTheBackgroundNeverOnTheCallersThread() {
        List<Runnable> queued = new ArrayList<>();
        Background later = new Background() {
            @Override
            public <T> void run(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Exception> onFailure) {
                queued.add(() -> {
                    try {
                        onSuccess.accept(work.call());
                    } catch (Exception e) {
                        onFailure.accept(e);
                    }
                });
            }
        };
        SeamEverywhere check = new SeamEverywhere();
        QualityMarks marks = new QualityMarks(check, later);
        marks.chunkArrived("t1", frames(8), 4, 8);
        assertThat(check.calls).as("nothing ran on the caller's thread").isEmpty();
        assertThat(marks.of("t1")).isEmpty();
        queued.forEach(Runnable::run);
        assertThat(marks.of("t1")).extracting(QualityFlag::kind).containsExactly("seam");
    }

    @Test
    void withoutACheckNothingIsQueued() {
        List<String> ran = new ArrayList<>();
        Background recording = new Background() {
            @Override
            public <T> void run(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Exception> onFailure) {
                ran.add(name);
            }
        };
        new QualityMarks(ChunkCheck.NONE, recording).chunkArrived("t1", frames(8), 4, 8);
        assertThat(ran).isEmpty();
    }
}
