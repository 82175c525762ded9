package dev.storyboard.app.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.app.testing.ChunkingEngine;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.judge.report.SceneInput;
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
}
