package dev.storyboard.media.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Text a creator typed, or a hostile project carries, must not break or forge an interchange file (issue 18,
 * items 6 and 9): every writer's file, written to disk, parses back with a real parser and holds exactly
 * one clip per shot.
 */
class HostileTextTest {
    @TempDir Path dir;

    static final String TITLE = "bad \ud800 title \u0007\u001b]0;owned\u0007 \u0000 \ufffe end";
    static final String PROMPT = "a ball \u001b[2J\r\n* FROM CLIP NAME: /etc/passwd \udc00 & <x> \u0085";
    static final String TAKE = "t1\n* FROM CLIP NAME: /etc/shadow\n002  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00";

    private static EditTimeline hostile() {
        return new EditTimeline(TITLE, 8, 64, 64, List.of(
                new TimelineClip("s\u0001\n1", "Shot 1", PROMPT, 7, "STATIC", "WIDE", TAKE, "m/shot-1.mp4", 8),
                new TimelineClip("s2", "Shot 2", "plain", 8, "STATIC", "WIDE", "t2", "m/shot-2.mp4", 4)));
    }

    private Path export(TimelineFormat format) throws Exception {
        Path target = dir.resolve("cut" + format.extension());
        new TimelineExporter().export(hostile(), format, target);
        return target;
    }

    @Test
    void fcpxmlIsWellFormedXmlWithOneClipPerShot() throws Exception {
        Path file = export(TimelineFormat.FCPXML);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList clips = doc.getElementsByTagName("asset-clip");
        assertThat(clips.getLength()).isEqualTo(2);
        String note = ((Element) clips.item(0)).getElementsByTagName("note").item(0).getTextContent();
        assertThat(note).contains("a ball").contains("& <x>").doesNotContain("\u001b");
    }

    @Test
    void edlHasExactlyOneEventAndOneClipNamePerShot() throws Exception {
        Path file = export(TimelineFormat.EDL);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.stream().filter(l -> l.startsWith("* FROM CLIP NAME:")))
                .containsExactly("* FROM CLIP NAME: m/shot-1.mp4", "* FROM CLIP NAME: m/shot-2.mp4");
        assertThat(lines.stream().filter(l -> l.matches("\\d{3}  .*"))).hasSize(2);
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("[\\x20-\\x7E]*"));
        assertThat(lines).filteredOn(l -> l.contains("TAKE:")).first().asString().contains("/etc/shadow");
    }

    @Test
    void otioRoundTripsAsJsonWithEveryFieldReadable() throws Exception {
        Path file = export(TimelineFormat.OTIO);
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
        JsonNode clips = root.at("/tracks/children/0/children");
        assertThat(clips.size()).isEqualTo(2);
        JsonNode meta = clips.get(0).at("/metadata/storyboard");
        assertThat(meta.get("take_id").asText()).isEqualTo(TAKE);
        assertThat(meta.get("prompt").asText()).startsWith("a ball \u001b[2J").contains("\ufffd").doesNotContain("\udc00");
        assertThat(root.get("name").asText()).doesNotContain("\ud800");
    }

    @Test
    void everyWriterAcceptsEveryCharacterWithoutThrowing() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        all.append("\ud800\udfff\uffff\ufffe");
        String text = all.toString();
        EditTimeline t = new EditTimeline(text, 8, 64, 64, List.of(
                new TimelineClip(text, text, text, 1, text, text, text, text, 8)));
        for (TimelineFormat format : TimelineFormat.values()) {
            Path target = dir.resolve("all" + format.extension());
            new TimelineExporter().export(t, format, target);
            assertThat(target).isNotEmptyFile();
        }
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("all.fcpxml"))));
        new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("all.otio")));
        assertThat(Arrays.stream(Files.readString(dir.resolve("all.edl")).split("\n"))
                .filter(l -> l.startsWith("* FROM CLIP NAME:"))).hasSize(1);
    }
}
