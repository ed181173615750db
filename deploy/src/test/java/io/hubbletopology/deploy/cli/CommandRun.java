package io.hubbletopology.deploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.hubbletopology.deploy.Main;

/** One command line of the jar run in this JVM, as a user would type it: its exit code and what it printed to stderr. */
record CommandRun(int exitCode, String stderr) {

    static CommandRun of(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new CommandRun(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
