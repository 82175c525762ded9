package dev.storyboard.app.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A progress bar on a terminal (redrawn in place), plain lines every 10 % otherwise (logs, CI, pipes). */
final class TerminalProgress {
    private static final int BAR = 30;
    private final PrintWriter out;
    private final boolean tty;
    private int lastDecile = -1;

    TerminalProgress(PrintWriter out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    void update(String what, int done, int total) {
        int percent = total == 0 ? 100 : (int) (100L * done / total);
        if (tty) {
            int filled = BAR * percent / 100;
            out.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %d/%d", what, "#".repeat(filled), " ".repeat(BAR - filled),
                    percent, done, total);
            if (done == total) {
                out.println();
            }
            out.flush();
        } else if (percent / 10 != lastDecile || done == total) {
            lastDecile = percent / 10;
            out.printf(Locale.ROOT, "%s %d%% (%d/%d)%n", what, percent, done, total);
            out.flush();
        }
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }
}
