package dev.storyboard.app.cli;

import dev.storyboard.domain.text.Printable;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * picocli's usage errors of every command ("Unknown option: ...", "Invalid value for option '-o': ..."), printed
 * as picocli prints them (the error, then its suggestions or the command's usage) but with what they quote of the
 * command line made {@link Printable}: a hostile argument (ANSI escapes, control characters, line breaks) never
 * reaches the terminal as it is. Exit code {@link ExitCodes#USAGE}.
 */
final class PrintableUsageErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getColorScheme().errorText(Printable.of(ex.getMessage())));
        StringWriter suggestions = new StringWriter();
        if (UnmatchedArgumentException.printSuggestions(ex, new PrintWriter(suggestions, true))) {
            suggestions.toString().lines().forEach(line -> err.println(Printable.of(line)));
        } else {
            command.usage(err, command.getColorScheme());
        }
        err.flush();
        return ExitCodes.USAGE;
    }
}
