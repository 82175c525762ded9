package dev.storyboard.inference.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our reader against a file written by the official {@code safetensors} package (0.8.0): every dtype we read,
 * a scalar, an empty tensor, a dotted name, and metadata (training/fixtures/safetensors-reference/README.md).
 * Decision 0005 says why we keep our own reader instead of DJL's decoder.
 */
class SafeTensorsReferenceTest {
    private static Path reference() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("training/fixtures/safetensors-reference");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("training/fixtures/safetensors-reference not found above the working directory");
    }

    @Test
    void readsEveryTensorAndTheMetadataTheOfficialWriterWrote() throws Exception {
        Path dir = reference();
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        SafeTensors st = SafeTensors.read(dir.resolve("reference.safetensors"));
        assertThat(st.metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("writer", expected.path("metadata").path("writer").asText(), "note", "reference"));
        assertThat(st.names()).hasSize(expected.path("tensors").size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("tensors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode values = e.getValue().path("values");
            long[] shape = new ObjectMapper().convertValue(e.getValue().path("shape"), long[].class);
            assertThat(st.info(name).shape()).as(name).containsExactly(shape);
            if (st.info(name).dtype().isFloat()) {
                float[] got = st.floats(name);
                assertThat(got).as(name).hasSize(values.size());
                for (int i = 0; i < got.length; i++) {
                    // expected values are the stored values widened to double: exact in float
                    assertThat(got[i]).as(name + "[" + i + "]").isEqualTo((float) values.get(i).asDouble());
                }
            } else {
                long[] got = st.longs(name);
                assertThat(got).as(name).hasSize(values.size());
                for (int i = 0; i < got.length; i++) {
                    assertThat(got[i]).as(name + "[" + i + "]").isEqualTo(values.get(i).asLong());
                }
            }
        }
        assertThat(st.info("t_bfloat16").dtype()).isEqualTo(SafeTensors.Dtype.BF16);
        assertThat(st.info("t_float16").dtype()).isEqualTo(SafeTensors.Dtype.F16);
        assertThat(st.info("empty").numel()).isZero();
    }
}
