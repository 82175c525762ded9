package dev.storyboard.media.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;

/**
 * Seeded property-based fuzz of every timeline writer (issue 18): 10,000 timelines whose text fields hold
 * any UTF-16 (control characters, lone surrogates, XML-illegal characters, line breaks). Each writer must
 * produce valid UTF-8 that parses back (FCPXML with a real XML parser, OTIO as JSON, EDL line by line) with
 * exactly one clip per shot, and throw nothing.
 */
class TimelineWritersFuzzTest {
    static final long SEED = 0x7111_E11EL;
    static final int CASES = 10_000;

    @Test
    @Timeout(60)
    void everyWriterOutputParsesBackWithOneClipPerShot() throws Exception {
        Random random = new Random(SEED);
        DocumentBuilder xml = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        xml.setErrorHandler(null);
        ObjectMapper json = new ObjectMapper();
        for (int n = 0; n < CASES; n++) {
            EditTimeline t = randomTimeline(random);
            String where = "case " + n + " (seed " + SEED + ")";
            try {
                Document doc = xml.parse(new ByteArrayInputStream(utf8(new FcpxmlWriter().write(t))));
                assertThat(doc.getElementsByTagName("asset-clip").getLength()).as(where).isEqualTo(t.clips().size());
                JsonNode otio = json.readTree(utf8(new OtioWriter().write(t)));
                assertThat(otio.at("/tracks/children/0/children").size()).as(where).isEqualTo(t.clips().size());
                String edl = new String(utf8(new EdlWriter().write(t)), StandardCharsets.UTF_8);
                assertThat(edl.lines().filter(l -> l.startsWith("* FROM CLIP NAME:")).count()).as(where)
                        .isEqualTo(t.clips().size());
                assertThat(edl.lines().filter(l -> l.matches("\\d{3}  AX .*")).count()).as(where).isEqualTo(t.clips().size());
                assertThat(edl).as(where).matches("[\\x20-\\x7E\\n]*");
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable e) {
                throw new AssertionError(where + ": undocumented " + e, e);
            }
        }
    }

    /** Encodes strictly: a lone surrogate that slipped through would fail here as it fails Files.writeString. */
    private static byte[] utf8(String s) throws CharacterCodingException {
        var buffer = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String text(Random random, int max) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            sb.append(kind < 5 ? (char) ('a' + random.nextInt(26)) : kind < 7 ? (char) random.nextInt(0x40)
                    : kind < 8 ? (char) (0xD800 + random.nextInt(0x800)) : (char) random.nextInt(0x10000));
        }
        return sb.toString();
    }

    private static EditTimeline randomTimeline(Random random) {
        List<TimelineClip> clips = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            clips.add(new TimelineClip(text(random, 8), text(random, 8), text(random, 40), random.nextLong(), text(random, 6),
                    text(random, 6), text(random, 8), text(random, 12), 1 + random.nextInt(1000)));
        }
        return new EditTimeline(text(random, 20), 1 + random.nextInt(120), 2 + random.nextInt(4000),
                2 + random.nextInt(4000), clips);
    }
}
