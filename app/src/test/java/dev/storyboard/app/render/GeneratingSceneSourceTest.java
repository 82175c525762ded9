package dev.storyboard.app.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.app.testing.ChunkingEngine;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.report.SceneInput;
import dev.storyboard.judge.report.ShotInput;
import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.storyworld.Vocabulary;
import dev.storyboard.judge.storyworld.Vocabulary.Action;
import dev.storyboard.judge.storyworld.Vocabulary.Camera;
import dev.storyboard.judge.storyworld.Vocabulary.Colour;
import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import dev.storyboard.judge.storyworld.Vocabulary.Pattern;
import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GeneratingSceneSourceTest {
    private final Storyboard scene = new Storyboard("s", "a red ball in a meadow", 8, 64, 64, List.of(
            new Shot("a", "a red ball bounces", 8, CameraMove.STATIC, ShotSize.WIDE, 1, 4,
                    List.of(new Take("old", 1, 8, "a/old")), "old"),
            Shot.planned("b", "the red ball spins", 12, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 2)));

    @Test
    void sceneContextGeneratesEveryShotFreshWithItsPredecessorsAsContext() {
        List<GenerationRequest> requests = new ArrayList<>();
        SceneInput input = new GeneratingSceneSource("model", Map.of("s", scene),
                () -> Optional.of(new ChunkingEngine(requests)), GeneratingSceneSource.Context.SCENE, 4, line -> { })
                .load("s");
        assertThat(input.shots()).extracting(shot -> shot.clip().frameCount()).containsExactly(8, 12);
        assertThat(input.shots().get(1).chunkBoundaries()).containsExactly(4, 8);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).storyboard().shots().get(0).activeTakeId()).as("existing takes are ignored").isNull();
        assertThat(requests.get(1).storyboard().shots()).hasSize(2);
        assertThat(requests.get(1).storyboard().shots().get(0).activeTakeId()).isEqualTo("take-new");
    }

    @Test
    void independentBaselineGeneratesEveryShotAloneWithTheSamePromptsAndSeeds() {
        List<GenerationRequest> requests = new ArrayList<>();
        new GeneratingSceneSource("independent", Map.of("s", scene), () -> Optional.of(new ChunkingEngine(requests)),
                GeneratingSceneSource.Context.INDEPENDENT, 4, line -> { }).load("s");
        assertThat(requests).hasSize(2);
        assertThat(requests).allSatisfy(r -> assertThat(r.storyboard().shots()).hasSize(1));
        assertThat(requests).extracting(GenerationRequest::seed).containsExactly(1L, 2L);
        assertThat(requests.get(1).storyboard().scenePrompt()).isEqualTo("a red ball in a meadow");
    }

    @Test
    void labelsOfTheGroundTruthAreAttachedShotByShotAndAMismatchIsASceneError() {
        StoryworldExport.ShotLabels bounce = new StoryworldExport.ShotLabels(0, Action.BOUNCES, Camera.STATIC,
                Vocabulary.ShotSize.WIDE, false, "", List.of("f.png"));
        StoryworldExport.ShotLabels spin = new StoryworldExport.ShotLabels(1, Action.SPINS, Camera.ZOOM_IN,
                Vocabulary.ShotSize.CLOSE_UP, false, "", List.of("f.png"));
        StoryworldExport.ActorLabels ball = new StoryworldExport.ActorLabels(Kind.BALL, Colour.RED, 0, 0.9, 0.9,
                Pattern.PLAIN, "medium");
        StoryworldExport.SceneLabels two = new StoryworldExport.SceneLabels(1, "multishot", ball, Setting.MEADOW,
                List.of(bounce, spin));
        GeneratingSceneSource source = new GeneratingSceneSource("model", Map.of("s", scene),
                () -> Optional.of(new ChunkingEngine(new ArrayList<>())), GeneratingSceneSource.Context.SCENE, 4,
                line -> { }, id -> two);
        SceneInput input = source.load("s");
        assertThat(input.labels()).isSameAs(two);
        assertThat(input.shots()).extracting(ShotInput::labels).containsExactly(bounce, spin);

        StoryworldExport.SceneLabels one = new StoryworldExport.SceneLabels(1, "multishot", ball, Setting.MEADOW,
                List.of(bounce));
        GeneratingSceneSource mismatched = new GeneratingSceneSource("model", Map.of("s", scene),
                () -> Optional.of(new ChunkingEngine(new ArrayList<>())), GeneratingSceneSource.Context.SCENE, 4,
                line -> { }, id -> one);
        assertThatThrownBy(() -> mismatched.load("s")).isInstanceOf(JudgeException.class)
                .hasMessageContaining("labels describe 1 shots but the storyboard has 2");
    }
}
