package dev.storyboard.media.timeline;

import dev.storyboard.domain.export.EditorialRate;
import java.io.StringWriter;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Final Cut Pro XML 1.10: one format, one asset per shot's media, a project whose spine holds an
 * asset-clip per shot with the prompt as a note and the generation settings as metadata. The format's
 * {@code frameDuration} is the timeline's editorial rate the way Final Cut writes it ({@code 100/2400s} at
 * 24 fps, {@code 1001/24000s} at 23.976, {@code 1001/30000s} at 29.97), and every offset and duration is a
 * whole number of such frames written in that time base ({@code 3600/2400s}, whole seconds as {@code 2s}).
 */
public final class FcpxmlWriter implements TimelineWriter {
    public static final String VERSION = "1.10";

    @Override
    public String write(EditTimeline t) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            doc.setXmlStandalone(true);
            Element root = doc.createElement("fcpxml");
            root.setAttribute("version", VERSION);
            doc.appendChild(root);
            Element resources = child(doc, root, "resources");
            Element format = child(doc, resources, "format");
            format.setAttribute("id", "r1");
            format.setAttribute("name", "Storyboard " + t.width() + "x" + t.height() + "@" + t.rate().label());
            format.setAttribute("frameDuration", seconds(1, t.rate()));
            format.setAttribute("width", Integer.toString(t.width()));
            format.setAttribute("height", Integer.toString(t.height()));
            int id = 2;
            for (TimelineClip c : t.clips()) {
                Element asset = child(doc, resources, "asset");
                asset.setAttribute("id", "r" + id++);
                asset.setAttribute("name", TimelineText.xml(c.name()));
                asset.setAttribute("start", "0s");
                asset.setAttribute("duration", seconds(c.durationFrames(), t.rate()));
                asset.setAttribute("hasVideo", "1");
                asset.setAttribute("format", "r1");
                Element rep = child(doc, asset, "media-rep");
                rep.setAttribute("kind", "original-media");
                rep.setAttribute("src", TimelineText.xml(c.mediaPath()));
            }
            Element library = child(doc, root, "library");
            Element event = child(doc, library, "event");
            event.setAttribute("name", TimelineText.xml(t.title()));
            Element project = child(doc, event, "project");
            project.setAttribute("name", TimelineText.xml(t.title()));
            Element sequence = child(doc, project, "sequence");
            sequence.setAttribute("format", "r1");
            sequence.setAttribute("duration", seconds(t.totalFrames(), t.rate()));
            sequence.setAttribute("tcStart", "0s");
            sequence.setAttribute("tcFormat", "NDF");
            Element spine = child(doc, sequence, "spine");
            long offset = 0;
            id = 2;
            for (TimelineClip c : t.clips()) {
                Element clip = child(doc, spine, "asset-clip");
                clip.setAttribute("ref", "r" + id++);
                clip.setAttribute("name", TimelineText.xml(c.name()));
                clip.setAttribute("offset", seconds(offset, t.rate()));
                clip.setAttribute("start", "0s");
                clip.setAttribute("duration", seconds(c.durationFrames(), t.rate()));
                child(doc, clip, "note").setTextContent(TimelineText.xml(c.prompt()));
                Element metadata = child(doc, clip, "metadata");
                metadata(doc, metadata, "storyboard.shotId", c.shotId());
                metadata(doc, metadata, "storyboard.seed", Long.toString(c.seed()));
                metadata(doc, metadata, "storyboard.camera", c.camera());
                metadata(doc, metadata, "storyboard.shotSize", c.shotSize());
                metadata(doc, metadata, "storyboard.takeId", c.takeId());
                offset += c.durationFrames();
            }
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("the JDK's XML stack failed on a plain document", e);
        }
    }

    private static Element child(Document doc, Element parent, String name) {
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static void metadata(Document doc, Element metadata, String key, String value) {
        Element md = child(doc, metadata, "md");
        md.setAttribute("key", key);
        md.setAttribute("value", TimelineText.xml(value)); // every text field goes through TimelineText.xml
    }

    /**
     * FCPXML rational seconds of {@code frames} frames in the rate's time base: whole seconds as "2s",
     * anything else over the time base of {@code frameDuration}: 3 frames at 24 fps → "300/2400s", 30 frames
     * at 29.97 → "30030/30000s".
     */
    static String seconds(long frames, EditorialRate rate) {
        long[] base = timeBase(rate);
        long num = Math.multiplyExact(frames, base[0]);
        return num % base[1] == 0 ? num / base[1] + "s" : num + "/" + base[1] + "s";
    }

    /** One frame as {@code {num, den}} seconds: 100/2400 for whole rates (as Final Cut writes them), 1001/24000 otherwise. */
    static long[] timeBase(EditorialRate rate) {
        long[] fd = rate.frameDuration();
        return fd[0] == 1 ? new long[] {100, 100 * fd[1]} : fd;
    }
}
