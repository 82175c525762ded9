package dev.storyboard.media.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.export.EditorialRate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineWritersTest {
    @TempDir Path dir;

    private static String golden(String name) throws IOException {
        try (InputStream in = TimelineWritersTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"OTIO", "EDL", "FCPXML"})
    void matchesTheGoldenFileOfTheThreeShotSample(String format) throws Exception {
        TimelineFormat f = TimelineFormat.parse(format);
        assertThat(f.writer().write(SampleTimeline.atRate(EditorialRate.DEFAULT_TIMELINE)))
                .isEqualTo(golden("sample-3-shots" + f.extension()));
    }

    @Test
    void theSeedInTheCommentsIsTheActiveTakesNotTheShots() {
        // issue 19: a new take rolls its own seed, so the shot's seed no longer made the frames in the cut
        Shot shot = new Shot("s1", "a red ball", 8, CameraMove.STATIC, ShotSize.WIDE, 7, 4.0,
                List.of(new Take("t1", 7, 8, ""), new Take("t2", 42, 8, "")), "t2");
        Shot planned = new Shot("s2", "no take yet", 8, CameraMove.STATIC, ShotSize.WIDE, 9, 4.0, List.of(), null);
        EditTimeline t = EditTimeline.of(new Storyboard("Seeds", "", 8, 64, 64, List.of(shot, planned)),
                s -> "media/" + s.id() + ".mp4");
        assertThat(t.clips()).extracting(TimelineClip::seed).containsExactly(42L, 9L);
        assertThat(new EdlWriter().write(t)).contains("* COMMENT: SEED: 42 ").doesNotContain("SEED: 7 ");
    }

    @Test
    void otioParsesBackToTheSameShots() throws Exception {
        JsonNode root = new ObjectMapper().readTree(new OtioWriter().write(SampleTimeline.atRate(EditorialRate.FPS_24)));
        assertThat(root.get("OTIO_SCHEMA").asText()).isEqualTo("Timeline.1");
        JsonNode track = root.get("tracks").get("children").get(0);
        assertThat(track.get("kind").asText()).isEqualTo("Video");
        JsonNode clips = track.get("children");
        assertThat(clips).hasSize(3);
        JsonNode second = clips.get(1);
        assertThat(second.get("source_range").get("duration").get("value").asDouble()).isEqualTo(72.0);
        assertThat(second.get("source_range").get("duration").get("rate").asDouble()).isEqualTo(24.0);
        assertThat(second.get("media_references").get("DEFAULT_MEDIA").get("target_url").asText()).isEqualTo("media/shot-2.mp4");
        JsonNode meta = second.get("metadata").get("storyboard");
        assertThat(meta.get("prompt").asText()).isEqualTo("the red ball rolls to the left");
        assertThat(meta.get("seed").asLong()).isEqualTo(1002);
        assertThat(meta.get("camera").asText()).isEqualTo("PAN_LEFT");
        assertThat(meta.get("take_id").asText()).isEqualTo("take-2");
    }

    private static final Pattern EVENT = Pattern.compile(
            "^(\\d{3})  AX\\s+V\\s+C\\s+(\\S+) (\\S+) (\\S+) (\\S+)$", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 30})
    void edlTimecodesAreContiguousAtStandardRates(int fps) {
        String edl = new EdlWriter().write(SampleTimeline.timeline(fps));
        assertThat(edl).startsWith("TITLE: The red ball\nFCM: NON-DROP FRAME\n");
        Matcher m = EVENT.matcher(edl);
        List<long[]> events = new ArrayList<>();
        while (m.find()) {
            events.add(new long[] {Timecode.parse(m.group(2), fps), Timecode.parse(m.group(3), fps),
                    Timecode.parse(m.group(4), fps), Timecode.parse(m.group(5), fps)});
        }
        assertThat(events).hasSize(3);
        long[] expectedDurations = {2L * fps, 3L * fps, fps + fps / 2};
        long record = 3600L * fps;
        for (int i = 0; i < 3; i++) {
            long[] e = events.get(i);
            assertThat(e[1] - e[0]).isEqualTo(expectedDurations[i]);
            assertThat(e[2]).isEqualTo(record);
            assertThat(e[3] - e[2]).isEqualTo(expectedDurations[i]);
            record = e[3];
        }
        assertThat(Timecode.of(3600L * fps + 2L * fps, fps)).isEqualTo("01:00:02:00");
        assertThat(edl).contains("* FROM CLIP NAME: media/shot-3.mp4").contains("SEED: 1002 CAMERA: PAN_LEFT");
        assertThat(edl).as("EDL is ASCII").matches("[\\x00-\\x7F]*");
    }

    @Test
    void fcpxmlParsesBackWithContiguousClips() throws Exception {
        String xml = new FcpxmlWriter().write(SampleTimeline.timeline(24));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getAttribute("version")).isEqualTo("1.10");
        NodeList clips = doc.getElementsByTagName("asset-clip");
        assertThat(clips.getLength()).isEqualTo(3);
        assertThat(((Element) clips.item(0)).getAttribute("duration")).isEqualTo("2s");
        assertThat(((Element) clips.item(1)).getAttribute("offset")).isEqualTo("2s");
        assertThat(((Element) clips.item(2)).getAttribute("offset")).isEqualTo("5s");
        assertThat(((Element) clips.item(2)).getAttribute("duration")).isEqualTo("3600/2400s");
        assertThat(clips.item(2).getTextContent()).contains("the red ball spins — \"close\" & <fast>");
        assertThat(FcpxmlWriter.seconds(3, EditorialRate.FPS_24)).isEqualTo("300/2400s");
        assertThat(FcpxmlWriter.seconds(30, EditorialRate.FPS_29_97)).isEqualTo("30030/30000s");
        assertThat(FcpxmlWriter.seconds(1, EditorialRate.FPS_23_976)).isEqualTo("1001/24000s");
        assertThat(FcpxmlWriter.seconds(48, EditorialRate.FPS_24)).isEqualTo("2s");
    }

    @Test
    void unknownFormatAndBadTargetsAreNamed() throws Exception {
        assertThatThrownBy(() -> TimelineFormat.parse("aaf")).hasMessage("unknown timeline format 'aaf', expected one of otio|edl|fcpxml");
        Path taken = Files.createDirectory(dir.resolve("scene.otio"));
        assertThatThrownBy(() -> new TimelineExporter().export(SampleTimeline.timeline(8), TimelineFormat.OTIO, taken))
                .hasMessageContaining("a folder with that name is in the way");
        Path target = dir.resolve("scene.edl");
        new TimelineExporter().export(SampleTimeline.timeline(8), TimelineFormat.EDL, target);
        assertThat(target).hasContent(new EdlWriter().write(SampleTimeline.timeline(8)));
    }
}
