package dev.storyboard.inference.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** Writes a safetensors file with one tensor of raw little-endian bytes. */
    private Path file(String dtype, long[] shape, byte[] data, String extraHeader) throws IOException {
        String shapeJson = Arrays.toString(shape).replace(" ", "");
        String header = "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shapeJson + ",\"data_offsets\":[0," + data.length + "]}"
                + extraHeader + "}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).put(data);
        Path p = dir.resolve("t-" + dtype + ".safetensors");
        Files.write(p, buf.array());
        return p;
    }

    private static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    @Test
    void halfPrecisionBecomesFloat32() throws Exception {
        // 1, -2, 65504 (max), 2^-24 (smallest subnormal), +inf, 0.333251953125
        Path p = file("F16", new long[] {2, 3}, shorts(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555), "");
        float[] f = SafeTensors.read(p).floats("w");
        assertThat(f).containsExactly(1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, 0.333251953125f);
        assertThat(SafeTensors.read(p).shape("w").getShape()).containsExactly(2, 3);
    }

    @Test
    void bfloat16BecomesFloat32() throws Exception {
        // bf16 = upper 16 bits of the float32 pattern
        Path p = file("BF16", new long[] {3}, shorts(0x3F80, 0xC040, 0x3EAB), ",\"__metadata__\":{\"format\":\"pt\"}");
        SafeTensors st = SafeTensors.read(p);
        assertThat(st.floats("w")).containsExactly(1f, -3f, Float.intBitsToFloat(0x3EAB0000));
        assertThat(st.metadata()).containsEntry("format", "pt");
    }

    @Test
    void writerAndReaderRoundTrip() throws Exception {
        Path p = dir.resolve("rt.safetensors");
        SafeTensors.writeF32(p, Map.of("b", new SafeTensors.FloatTensor(new long[] {2}, new float[] {3f, 4f}),
                "a", new SafeTensors.FloatTensor(new long[] {1, 1}, new float[] {-1.5f})), Map.of("k", "v"));
        SafeTensors st = SafeTensors.read(p);
        assertThat(st.names()).containsExactly("a", "b");
        assertThat(st.floats("b")).containsExactly(3f, 4f);
        assertThat(st.metadata()).containsEntry("k", "v");
        assertThat((Files.size(p) - 12) % 8).as("data section 8-byte aligned").isZero();
    }

    @Test
    void damagedFilesAreRejectedWithTheirName() throws Exception {
        Path truncated = file("F32", new long[] {4}, new byte[8], "");
        assertThatThrownBy(() -> SafeTensors.read(truncated)).hasMessageContaining(truncated.toString())
                .hasMessageContaining("byte length");
        Path badType = file("F64", new long[] {1}, new byte[8], "");
        assertThatThrownBy(() -> SafeTensors.read(badType)).hasMessageContaining("unsupported dtype F64");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.read(garbage)).hasMessageContaining("not a safetensors file");
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("missing.safetensors"))).hasMessageContaining("does not exist");
    }
}
