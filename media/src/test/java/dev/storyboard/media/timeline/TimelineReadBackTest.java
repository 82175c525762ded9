package dev.storyboard.media.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.domain.export.EditorialRate;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * Issue 23: the files are written to disk and read back the way the formats' own readers read them, from
 * the specifications, not from this project's writers: CMX3600 (timecode fields, FCM, event columns), FCPXML
 * (rational time values, frameDuration, spine offsets) and OTIO (RationalTime / TimeRange of each Clip and
 * its media reference). The scene is issue 23's: shots of 8, 12 and 20 frames at 8 fps, with hostile text.
 */
class TimelineReadBackTest {
    @TempDir Path dir;

    /** The scene's true cut times in seconds: 1.0, 2.5 and 5.0 s. */
    private static final double[] TRUE_CUTS = {1.0, 2.5, 5.0};

    private Path export(EditorialRate rate, TimelineFormat format) throws Exception {
        EditTimeline t = EditTimeline.of(SampleTimeline.acceptance(), rate, shot -> "scene_media/" + shot.id() + ".mp4");
        Path file = dir.resolve("scene-" + rate.label() + format.extension());
        new TimelineExporter().export(t, format, file);
        return file;
    }

    // ---------------------------------------------------------------------------------------------- CMX3600

    /** One CMX3600 event: source in/out and record in/out as frame counts at the declared rate. */
    record EdlEvent(int number, String reel, long srcIn, long srcOut, long recIn, long recOut) {}

    private static final Pattern EVENT_LINE = Pattern.compile(
            "^(\\d{3})\\s+(\\S{1,8})\\s+(V|A|B|A2|AA)\\s+(C|D|W\\d{3})\\s+(?:\\d{3}\\s+)?(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$");

    /**
     * A CMX3600 reader told the file's rate, as an editor asks for it on import. A non-drop-frame timecode
     * uses colons only and HH 0–23, MM/SS 0–59, FF below the nominal rate (24 for 23.976, 30 for 29.97).
     */
    static List<EdlEvent> readEdl(String text, EditorialRate declared) {
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("TITLE: ");
        assertThat(lines.get(0).length()).as("CMX3600 title field").isLessThanOrEqualTo(7 + 70);
        assertThat(lines.get(1)).as("frame code mode").isEqualTo("FCM: NON-DROP FRAME");
        int base = declared.timecodeBase();
        List<EdlEvent> events = new ArrayList<>();
        for (String line : lines) {
            Matcher m = EVENT_LINE.matcher(line);
            if (m.matches()) {
                events.add(new EdlEvent(Integer.parseInt(m.group(1)), m.group(2), ndf(m.group(5), base),
                        ndf(m.group(6), base), ndf(m.group(7), base), ndf(m.group(8), base)));
            } else {
                assertThat(line).as("every line is the title, FCM, an event, a note or blank")
                        .matches("^(TITLE: .*|FCM: .*|\\* .*|)$");
            }
        }
        return events;
    }

    private static long ndf(String tc, int base) {
        assertThat(tc).as("non-drop-frame timecode uses colons only").matches("\\d{2}:\\d{2}:\\d{2}:\\d{2}");
        String[] p = tc.split(":");
        int hh = Integer.parseInt(p[0]);
        int mm = Integer.parseInt(p[1]);
        int ss = Integer.parseInt(p[2]);
        int ff = Integer.parseInt(p[3]);
        assertThat(hh).as(tc).isBetween(0, 23);
        assertThat(mm).as(tc).isBetween(0, 59);
        assertThat(ss).as(tc).isBetween(0, 59);
        assertThat(ff).as(tc + " at base " + base).isBetween(0, base - 1);
        return ((hh * 60L + mm) * 60 + ss) * base + ff;
    }

    @ParameterizedTest
    @ValueSource(strings = {"23.976", "24", "25", "29.97", "30", "50", "60"})
    void cmx3600EventsAreValidConsistentAndContiguous(String name) throws Exception {
        EditorialRate rate = EditorialRate.parse(name);
        List<EdlEvent> events = readEdl(Files.readString(export(rate, TimelineFormat.EDL), StandardCharsets.US_ASCII), rate);
        assertThat(events).hasSize(3);
        long programmeStart = 3600L * rate.timecodeBase();
        assertThat(events.get(0).recIn()).as("record starts at 01:00:00:00").isEqualTo(programmeStart);
        for (int i = 0; i < events.size(); i++) {
            EdlEvent e = events.get(i);
            assertThat(e.number()).isEqualTo(i + 1);
            assertThat(e.srcOut() - e.srcIn()).as("event %d: source duration = record duration", i + 1)
                    .isEqualTo(e.recOut() - e.recIn()).isPositive();
            if (i > 0) {
                assertThat(e.recIn()).as("event %d starts where %d ends", i + 1, i).isEqualTo(events.get(i - 1).recOut());
            }
            double cut = (e.recOut() - programmeStart) / rate.fps();
            assertThat(Math.abs(cut - TRUE_CUTS[i]) * rate.fps()).as("cut %d within half a frame at %s", i + 1, rate)
                    .isLessThanOrEqualTo(0.5 + 1e-9);
        }
    }

    // ---------------------------------------------------------------------------------------------- FCPXML

    /** FCPXML time: rational seconds "N/Ds" or "Ns" (DTD: time values). */
    record Fraction(BigInteger num, BigInteger den) {
        static Fraction parse(String s) {
            assertThat(s).as("FCPXML time value").matches("\\d+(/\\d+)?s");
            String v = s.substring(0, s.length() - 1);
            String[] p = v.split("/");
            return new Fraction(new BigInteger(p[0]), p.length == 2 ? new BigInteger(p[1]) : BigInteger.ONE);
        }

        Fraction dividedBy(Fraction o) {
            BigInteger n = num.multiply(o.den);
            BigInteger d = den.multiply(o.num);
            BigInteger g = n.gcd(d);
            return new Fraction(n.divide(g), d.divide(g));
        }

        Fraction plus(Fraction o) {
            BigInteger n = num.multiply(o.den).add(o.num.multiply(den));
            BigInteger d = den.multiply(o.den);
            BigInteger g = n.gcd(d).max(BigInteger.ONE);
            return new Fraction(n.divide(g), d.divide(g));
        }

        boolean sameValue(Fraction o) {
            return num.multiply(o.den).equals(o.num.multiply(den));
        }

        double seconds() {
            return num.doubleValue() / den.doubleValue();
        }
    }

    /** The frame durations of the video rates Final Cut Pro offers (1001/24000s … 1/60s). */
    private static final Map<String, String> STANDARD_FRAME_DURATIONS = Map.of(
            "1001/24000", "23.976", "1/24", "24", "1/25", "25", "1001/30000", "29.97", "1/30", "30", "1/50", "50", "1/60", "60");

    @ParameterizedTest
    @ValueSource(strings = {"23.976", "24", "25", "29.97", "30", "50", "60"})
    void fcpxmlTimesAreWholeFramesOfAStandardFrameDuration(String name) throws Exception {
        EditorialRate rate = EditorialRate.parse(name);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(export(rate, TimelineFormat.FCPXML).toFile());
        Element format = (Element) doc.getElementsByTagName("format").item(0);
        Fraction frame = Fraction.parse(format.getAttribute("frameDuration"));
        Fraction reduced = frame.dividedBy(new Fraction(BigInteger.ONE, BigInteger.ONE));
        assertThat(STANDARD_FRAME_DURATIONS).as("frameDuration %s", format.getAttribute("frameDuration"))
                .containsEntry(reduced.num() + "/" + reduced.den(), name);
        for (String tag : List.of("asset", "sequence", "asset-clip")) {
            NodeList nodes = doc.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                Element e = (Element) nodes.item(i);
                for (String attr : List.of("duration", "offset", "start", "tcStart")) {
                    if (e.hasAttribute(attr)) {
                        Fraction frames = Fraction.parse(e.getAttribute(attr)).dividedBy(frame);
                        assertThat(frames.den()).as("%s %s=%s is a whole number of %s frames", tag, attr,
                                e.getAttribute(attr), format.getAttribute("frameDuration")).isEqualTo(BigInteger.ONE);
                    }
                }
            }
        }
        NodeList clips = doc.getElementsByTagName("asset-clip");
        assertThat(clips.getLength()).isEqualTo(3);
        Fraction offset = Fraction.parse("0s");
        for (int i = 0; i < clips.getLength(); i++) {
            Element clip = (Element) clips.item(i);
            assertThat(Fraction.parse(clip.getAttribute("offset")).sameValue(offset)).as("clip %d is contiguous", i + 1).isTrue();
            Fraction duration = Fraction.parse(clip.getAttribute("duration"));
            Element asset = doc.getElementById(clip.getAttribute("ref"));
            if (asset == null) {
                asset = byId(doc, clip.getAttribute("ref"));
            }
            Fraction assetEnd = Fraction.parse(asset.getAttribute("start")).plus(Fraction.parse(asset.getAttribute("duration")));
            Fraction clipEnd = Fraction.parse(clip.getAttribute("start")).plus(duration);
            assertThat(clipEnd.dividedBy(assetEnd).seconds()).as("clip %d inside its asset", i + 1).isLessThanOrEqualTo(1.0);
            offset = offset.plus(duration);
            assertThat(Math.abs(offset.seconds() - TRUE_CUTS[i]) * rate.fps()).as("cut %d within half a frame", i + 1)
                    .isLessThanOrEqualTo(0.5 + 1e-9);
        }
        Element sequence = (Element) doc.getElementsByTagName("sequence").item(0);
        assertThat(Fraction.parse(sequence.getAttribute("duration")).sameValue(offset)).isTrue();
    }

    private static Element byId(Document doc, String id) {
        NodeList assets = doc.getElementsByTagName("asset");
        for (int i = 0; i < assets.getLength(); i++) {
            if (((Element) assets.item(i)).getAttribute("id").equals(id)) {
                return (Element) assets.item(i);
            }
        }
        throw new AssertionError("no asset " + id);
    }

    // ---------------------------------------------------------------------------------------------- OTIO

    private static double seconds(JsonNode rationalTime) {
        assertThat(rationalTime.get("OTIO_SCHEMA").asText()).isEqualTo("RationalTime.1");
        return rationalTime.get("value").asDouble() / rationalTime.get("rate").asDouble();
    }

    private static void allRationalTimes(JsonNode node, List<JsonNode> into) {
        if (node.isObject() && "RationalTime.1".equals(node.path("OTIO_SCHEMA").asText())) {
            into.add(node);
        }
        node.elements().forEachRemaining(child -> allRationalTimes(child, into));
    }

    @ParameterizedTest
    @ValueSource(strings = {"23.976", "24", "25", "29.97", "30", "50", "60"})
    void otioRatesAndRangesAreConsistent(String name) throws Exception {
        EditorialRate rate = EditorialRate.parse(name);
        JsonNode root = new ObjectMapper().readTree(export(rate, TimelineFormat.OTIO).toFile());
        List<JsonNode> times = new ArrayList<>();
        allRationalTimes(root, times);
        assertThat(times).isNotEmpty();
        for (JsonNode t : times) {
            assertThat(t.get("rate").asDouble()).as("every RationalTime at the timeline's rate").isEqualTo(rate.fps());
            double v = t.get("value").asDouble();
            assertThat(v).as("whole frames").isEqualTo(Math.rint(v));
        }
        JsonNode clips = root.at("/tracks/children/0/children");
        assertThat(clips.size()).isEqualTo(3);
        double end = 0;
        for (int i = 0; i < 3; i++) {
            JsonNode clip = clips.get(i);
            JsonNode source = clip.get("source_range");
            JsonNode ref = clip.get("media_references").get(clip.get("active_media_reference_key").asText());
            JsonNode available = ref.get("available_range");
            double srcStart = seconds(source.get("start_time"));
            double srcEnd = srcStart + seconds(source.get("duration"));
            double availStart = seconds(available.get("start_time"));
            double availEnd = availStart + seconds(available.get("duration"));
            assertThat(availStart).as("clip %d: available range covers the source range", i + 1).isLessThanOrEqualTo(srcStart);
            assertThat(availEnd).as("clip %d: available range covers the source range", i + 1).isGreaterThanOrEqualTo(srcEnd);
            end += srcEnd - srcStart;
            assertThat(Math.abs(end - TRUE_CUTS[i]) * rate.fps()).as("cut %d within half a frame", i + 1)
                    .isLessThanOrEqualTo(0.5 + 1e-9);
        }
    }

    // ---------------------------------------------------------------------------------------------- acceptance

    /** Issue 23's acceptance: at the default rate every format reads back 1.0, 1.5 and 2.5 s clips, at a rate editors offer. */
    @Test
    void theDefaultRateReadsBackAsOneOneAndAHalfAndTwoAndAHalfSecondsInEveryFormat() throws Exception {
        EditorialRate rate = EditorialRate.DEFAULT_TIMELINE;
        assertThat(EditorialRate.STANDARD).contains(rate);
        double[] expected = {1.0, 1.5, 2.5};

        List<EdlEvent> events = readEdl(Files.readString(export(rate, TimelineFormat.EDL)), EditorialRate.parse("24"));
        for (int i = 0; i < 3; i++) {
            assertThat((events.get(i).recOut() - events.get(i).recIn()) / 24.0).as("EDL event %d", i + 1).isEqualTo(expected[i]);
            assertThat((events.get(i).srcOut() - events.get(i).srcIn()) / 24.0).as("EDL source %d", i + 1).isEqualTo(expected[i]);
        }

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(export(rate, TimelineFormat.FCPXML).toFile());
        assertThat(((Element) doc.getElementsByTagName("format").item(0)).getAttribute("frameDuration")).isEqualTo("100/2400s");
        NodeList clips = doc.getElementsByTagName("asset-clip");
        for (int i = 0; i < 3; i++) {
            assertThat(Fraction.parse(((Element) clips.item(i)).getAttribute("duration")).seconds()).as("FCPXML clip %d", i + 1)
                    .isEqualTo(expected[i]);
        }

        JsonNode otio = new ObjectMapper().readTree(export(rate, TimelineFormat.OTIO).toFile());
        JsonNode otioClips = otio.at("/tracks/children/0/children");
        for (int i = 0; i < 3; i++) {
            assertThat(seconds(otioClips.get(i).at("/source_range/duration"))).as("OTIO clip %d", i + 1).isEqualTo(expected[i]);
            assertThat(otioClips.get(i).at("/source_range/duration/rate").asDouble()).isEqualTo(24.0);
        }
        assertThat(Set.of(24.0)).contains(otio.at("/global_start_time/rate").asDouble());
    }
}
