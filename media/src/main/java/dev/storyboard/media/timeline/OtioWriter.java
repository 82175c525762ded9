package dev.storyboard.media.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenTimelineIO JSON ({@code .otio}): Timeline.1 → Stack.1 → one Video Track.1 → Clip.2 per shot, each
 * with an ExternalReference.1 to the shot's media and the generation settings under
 * {@code metadata.storyboard}. Written with Jackson (no OTIO library exists on Maven Central). Every
 * RationalTime has the timeline's editorial rate (24000/1001 as the double 23.976023976023978, as OTIO
 * stores it) and a whole number of frames as its value; a clip's available range is its media's full length.
 */
public final class OtioWriter implements TimelineWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String write(EditTimeline timeline) {
        ObjectNode root = JSON.createObjectNode();
        root.put("OTIO_SCHEMA", "Timeline.1");
        root.set("metadata", JSON.createObjectNode().set("storyboard", JSON.createObjectNode()
                .put("width", timeline.width()).put("height", timeline.height())
                .put("rate", timeline.rate().label())));
        root.put("name", TimelineText.unicode(timeline.title()));
        root.set("global_start_time", rationalTime(0, timeline.rate().fps()));
        ObjectNode stack = item("Stack.1", "tracks");
        ObjectNode track = item("Track.1", "Video 1");
        track.put("kind", "Video");
        ArrayNode clips = JSON.createArrayNode();
        for (TimelineClip clip : timeline.clips()) {
            clips.add(clip(clip, timeline.rate().fps()));
        }
        track.set("children", clips);
        stack.set("children", JSON.createArrayNode().add(track));
        root.set("tracks", stack);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    private static ObjectNode item(String schema, String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("OTIO_SCHEMA", schema);
        n.set("metadata", JSON.createObjectNode());
        n.put("name", TimelineText.unicode(name));
        n.putNull("source_range");
        n.set("effects", JSON.createArrayNode());
        n.set("markers", JSON.createArrayNode());
        n.put("enabled", true);
        return n;
    }

    private static ObjectNode clip(TimelineClip clip, double fps) {
        ObjectNode n = item("Clip.2", clip.name());
        n.set("metadata", JSON.createObjectNode().set("storyboard", JSON.createObjectNode()
                .put("shot_id", TimelineText.unicode(clip.shotId())).put("prompt", TimelineText.unicode(clip.prompt()))
                .put("seed", clip.seed()).put("camera", TimelineText.unicode(clip.camera()))
                .put("shot_size", TimelineText.unicode(clip.shotSize())).put("take_id", TimelineText.unicode(clip.takeId()))));
        n.set("source_range", timeRange(0, clip.durationFrames(), fps));
        ObjectNode ref = JSON.createObjectNode();
        ref.put("OTIO_SCHEMA", "ExternalReference.1");
        ref.set("metadata", JSON.createObjectNode());
        ref.put("name", TimelineText.unicode(clip.mediaPath()));
        ref.set("available_range", timeRange(0, clip.durationFrames(), fps));
        ref.putNull("available_image_bounds");
        ref.put("target_url", TimelineText.unicode(clip.mediaPath()));
        n.set("media_references", JSON.createObjectNode().set("DEFAULT_MEDIA", ref));
        n.put("active_media_reference_key", "DEFAULT_MEDIA");
        return n;
    }

    private static ObjectNode timeRange(long start, long duration, double fps) {
        ObjectNode r = JSON.createObjectNode();
        r.put("OTIO_SCHEMA", "TimeRange.1");
        r.set("duration", rationalTime(duration, fps));
        r.set("start_time", rationalTime(start, fps));
        return r;
    }

    private static ObjectNode rationalTime(long value, double fps) {
        ObjectNode t = JSON.createObjectNode();
        t.put("OTIO_SCHEMA", "RationalTime.1");
        t.put("rate", fps);
        t.put("value", (double) value);
        return t;
    }
}
