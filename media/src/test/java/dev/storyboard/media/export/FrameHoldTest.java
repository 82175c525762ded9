package dev.storyboard.media.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.generation.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameHoldTest {
    @TempDir Path dir;

    private static List<List<VideoFrame>> shots(int... lengths) {
        List<VideoFrame> all = TestFrames.movingSquare(Arrays.stream(lengths).sum(), 32, 32);
        List<List<VideoFrame>> shots = new ArrayList<>();
        int at = 0;
        for (int n : lengths) {
            shots.add(all.subList(at, at + n));
            at += n;
        }
        return shots;
    }

    @Test
    void twentyFourHoldsEachFrameThreeTimesInOrder() {
        List<List<VideoFrame>> in = shots(8, 12, 20);
        List<List<VideoFrame>> out = FrameHold.shots(in, 8, EditorialRate.FPS_24);
        assertThat(out).extracting(List::size).containsExactly(24, 36, 60);
        for (int s = 0; s < 3; s++) {
            for (int g = 0; g < out.get(s).size(); g++) {
                assertThat(out.get(s).get(g)).as("shot %d frame %d", s + 1, g).isSameAs(in.get(s).get(g / 3));
            }
        }
    }

    @Test
    void otherRatesRoundTheCutsOnTheWholeSceneAndKeepEveryFrame() {
        List<List<VideoFrame>> in = shots(8, 12, 20);
        assertThat(FrameHold.shots(in, 8, EditorialRate.FPS_25)).extracting(List::size).containsExactly(25, 38, 62);
        assertThat(FrameHold.shots(in, 8, EditorialRate.FPS_29_97)).extracting(List::size).containsExactly(30, 45, 75);
        for (EditorialRate rate : EditorialRate.STANDARD) {
            List<List<VideoFrame>> out = FrameHold.shots(in, 8, rate);
            for (int s = 0; s < 3; s++) {
                assertThat(new LinkedHashSet<>(out.get(s))).as("%s shot %d shows every source frame, in order, "
                        + "and nothing else", rate, s + 1).containsExactlyElementsOf(in.get(s));
            }
        }
        assertThat(FrameHold.conform(in.get(0), 8, EditorialRate.of(8))).containsExactlyElementsOf(in.get(0));
        assertThatThrownBy(() -> FrameHold.shots(shots(1, 1), 24, EditorialRate.of(8)))
                .hasMessageContaining("has no whole frame");
    }

    /** The per-shot media a timeline references, as ffprobe reads them: 24 fps exactly, and 30000/1001 for 29.97. */
    @Test
    void mp4sAreWrittenAtTheExactEditorialRate() throws Exception {
        for (EditorialRate rate : List.of(EditorialRate.FPS_24, EditorialRate.FPS_29_97, EditorialRate.FPS_25)) {
            List<VideoFrame> frames = FrameHold.conform(TestFrames.movingSquare(12, 64, 64), 8, rate);
            Path out = dir.resolve("shot-" + rate.label() + ".mp4");
            new Mp4Exporter().export(FrameSequence.of(frames), Mp4Settings.of(rate, 64, 64), out, ExportProgress.NONE, () -> false);
            JsonNode stream = VideoProbe.ffprobe(out).get("streams").get(0);
            assertThat(stream.get("r_frame_rate").asText()).as(rate.toString()).isEqualTo(rate.fraction());
            assertThat(stream.get("nb_read_frames").asInt()).isEqualTo(frames.size());
            double duration = VideoProbe.ffprobe(out).get("format").get("duration").asDouble();
            assertThat(duration).as("%s: 12 frames at 8 fps last 1.5 s", rate).isCloseTo(frames.size() / rate.fps(), Offset.offset(0.002));
        }
    }
}
