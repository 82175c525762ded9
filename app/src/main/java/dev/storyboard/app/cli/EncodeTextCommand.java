package dev.storyboard.app.cli;

import dev.storyboard.inference.text.MiniLmTextEncoder;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code storyboard encode-text --stream}: the product's text encoder as a pipe, so that training
 * conditions on exactly the embeddings the app computes. Protocol: one caption per line on stdin; per
 * caption on stdout a little-endian int32 {@code n} (real tokens, ≤ --max-tokens) then n×384 little-endian
 * float32 (token-level last_hidden_state). Flushed after every caption. Logs go to stderr.
 */
@Command(name = "encode-text", mixinStandardHelpOptions = true,
        description = "Encode captions with all-MiniLM-L6-v2 (token level) for the training pipeline.")
public final class EncodeTextCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, description = "read captions from stdin, write binary embeddings to stdout")
    boolean stream;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "32",
            description = "token budget per caption incl. [CLS]/[SEP]; must equal the model's l_txt (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Override
    public Integer call() throws IOException {
        try (MiniLmTextEncoder encoder = MiniLmTextEncoder.load(maxTokens);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
             OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                float[][] tokens = encoder.encodeTokens(line);
                ByteBuffer record = ByteBuffer.allocate(4 + tokens.length * MiniLmTextEncoder.HIDDEN_SIZE * 4)
                        .order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(tokens.length);
                for (float[] row : tokens) {
                    for (float v : row) {
                        record.putFloat(v);
                    }
                }
                out.write(record.array());
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
