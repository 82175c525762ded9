package dev.storyboard.inference.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.domain.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reader (and a small writer) of the safetensors format, the storage of every exported model file and
 * parity fixture (see {@code training/storydit/safetensors_io.py}).
 *
 * <pre>
 *   [8 bytes]  N = header length, little-endian u64
 *   [N bytes]  JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}
 *   [...]      data section, row-major little-endian tensors, offsets relative to its start
 * </pre>
 *
 * Float tensors stored as F32, F16 or BF16 are all read as float32 (the engine computes in fp32);
 * I64, I32 and U8 are read as integers. The whole file is read into memory once; it is small (≤ tens of MB).
 */
public final class SafeTensors {
    public static final String METADATA_KEY = "__metadata__";
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Storage type of one tensor. */
    public enum Dtype {
        F32(4), F16(2), BF16(2), I64(8), I32(4), U8(1);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        boolean isFloat() {
            return this == F32 || this == F16 || this == BF16;
        }
    }

    /** Header entry of one tensor. */
    public record Info(String name, Dtype dtype, long[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path file;
    private final ByteBuffer data;            // the data section, little-endian
    private final Map<String, Info> tensors;  // in file order
    private final Map<String, String> metadata;

    private SafeTensors(Path file, ByteBuffer data, Map<String, Info> tensors, Map<String, String> metadata) {
        this.file = file;
        this.data = data;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Reads and validates {@code file}; every problem names the file. */
    public static SafeTensors read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("safetensors file " + file + " does not exist", e);
        }
        if (all.length < 8) {
            throw new IOException(file + ": not a safetensors file (" + all.length + " bytes)");
        }
        ByteBuffer whole = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = whole.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > all.length - 8) {
            throw new IOException(file + ": implausible safetensors header length " + headerLen);
        }
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        int dataStart = 8 + (int) headerLen;
        ByteBuffer data = whole.slice(dataStart, all.length - dataStart).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Info> infos = new LinkedHashMap<>();
        Map<String, String> meta = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (METADATA_KEY.equals(e.getKey())) {
                e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode n = e.getValue();
            Dtype dtype;
            try {
                dtype = Dtype.valueOf(n.path("dtype").asText());
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": tensor '" + e.getKey() + "' has unsupported dtype "
                        + n.path("dtype").asText() + " (supported: F32, F16, BF16, I64, I32, U8)");
            }
            long[] shape = new long[n.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = n.path("shape").get(i).asLong();
            }
            long begin = n.path("data_offsets").path(0).asLong(-1);
            long end = n.path("data_offsets").path(1).asLong(-1);
            Info info = new Info(e.getKey(), dtype, shape, begin, end);
            if (begin < 0 || end < begin || end > data.capacity()) {
                throw new IOException(file + ": tensor '" + e.getKey() + "' has offsets [" + begin + ", " + end
                        + "] outside the " + data.capacity() + "-byte data section (truncated file?)");
            }
            if (end - begin != info.numel() * dtype.bytes) {
                throw new IOException(file + ": tensor '" + e.getKey() + "' byte length " + (end - begin)
                        + " does not match shape " + Arrays.toString(shape) + " × " + dtype);
            }
            infos.put(e.getKey(), info);
        }
        return new SafeTensors(file, data, Collections.unmodifiableMap(infos), Collections.unmodifiableMap(meta));
    }

    public Path file() {
        return file;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Info info(String name) {
        Info info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(file + ": no tensor named '" + name + "'");
        }
        return info;
    }

    /** A float tensor (F32, F16 or BF16 storage) as float32, row-major. */
    public float[] floats(String name) {
        Info info = info(name);
        if (!info.dtype().isFloat()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + info.dtype() + ", not a float tensor");
        }
        int n = Math.toIntExact(info.numel());
        float[] out = new float[n];
        int base = (int) info.begin();
        switch (info.dtype()) {
            case F32 -> data.slice(base, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(data.getShort(base + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((data.getShort(base + 2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new AssertionError(info.dtype());
        }
        return out;
    }

    /** An integer tensor (I64, I32 or U8 storage) as longs. */
    public long[] longs(String name) {
        Info info = info(name);
        int n = Math.toIntExact(info.numel());
        long[] out = new long[n];
        int base = (int) info.begin();
        for (int i = 0; i < n; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> data.getLong(base + 8 * i);
                case I32 -> data.getInt(base + 4 * i);
                case U8 -> data.get(base + i) & 0xff;
                default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + info.dtype()
                        + ", not an integer tensor");
            };
        }
        return out;
    }

    public Shape shape(String name) {
        return new Shape(info(name).shape());
    }

    /** A float tensor as an fp32 NDArray owned by {@code manager}. */
    public NDArray ndarray(NDManager manager, String name) {
        return manager.create(floats(name), shape(name));
    }

    /** IEEE 754 binary16 → binary32 (Java 17 has no Float.float16ToFloat). */
    public static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {                       // inf / NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);     // ±0
            }
            float v = mant * 0x1p-24f;                 // subnormal: mant · 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Tensor to write: float32 data with a shape. */
    public record FloatTensor(long[] shape, float[] data) {
        public FloatTensor {
            Objects.requireNonNull(shape);
            Objects.requireNonNull(data);
        }
    }

    /**
     * Writes float32 tensors in safetensors format, sorted by name (same bytes for the same input), atomically
     * ({@link AtomicFiles}).
     */
    public static void writeF32(Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectMapper json = new ObjectMapper();
        var header = json.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            var m = header.putObject(METADATA_KEY);
            metadata.forEach(m::put);
        }
        long offset = 0;
        List<String> names = tensors.keySet().stream().sorted().toList();
        for (String name : names) {
            FloatTensor t = tensors.get(name);
            var node = header.putObject(name);
            node.put("dtype", "F32");
            var shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            var offs = node.putArray("data_offsets");
            offs.add(offset);
            offset += 4L * t.data().length;
            offs.add(offset);
        }
        byte[] headerBytes = json.writeValueAsBytes(header);
        int pad = (8 - (8 + headerBytes.length) % 8) % 8;
        byte[] padded = Arrays.copyOf(headerBytes, headerBytes.length + pad);
        Arrays.fill(padded, headerBytes.length, padded.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
            out.write(padded);
            for (String name : names) {
                float[] d = tensors.get(name).data();
                ByteBuffer buf = ByteBuffer.allocate(4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(d);
                out.write(buf.array());
            }
        });
    }
}
