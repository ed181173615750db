package io.hubbletopology.deploy;

import java.io.PrintWriter;

import io.hubbletopology.deploy.cli.BrokerCommand;
import io.hubbletopology.deploy.cli.DemoCommand;
import io.hubbletopology.deploy.cli.IngestCommand;
import io.hubbletopology.deploy.cli.PolicyCommand;
import io.hubbletopology.deploy.cli.ProcessorCommand;
import io.hubbletopology.deploy.cli.SettingFlag;
import io.hubbletopology.deploy.cli.SinkCommand;
import io.hubbletopology.deploy.logging.LogFormat;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The runnable jar: {@code java -jar hubble-topology.jar <role> [options]}.
 *
 * <pre>
 * java -jar hubble-topology.jar demo                     # everything in one process
 * java -jar hubble-topology.jar broker --port 9092 --data-dir /var/lib/kafka
 * java -jar hubble-topology.jar processor --bootstrap-servers 127.0.0.1:9092
 * java -jar hubble-topology.jar ingest --bootstrap-servers 127.0.0.1:9092 --hubble-addr 127.0.0.1:4245
 * java -jar hubble-topology.jar sink --bootstrap-servers 127.0.0.1:9092 --remote-write-url http://127.0.0.1:9090/api/v1/write
 * </pre>
 */
@Command(name = "hubble-topology", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Turns Cilium Hubble flows and Linux link states into a live, queryable, historical topology on Kafka.%n",
        subcommands = {DemoCommand.class, BrokerCommand.class, IngestCommand.class, ProcessorCommand.class, SinkCommand.class,
                PolicyCommand.class, io.hubbletopology.deploy.cli.HubbleSimCommand.class,
                CommandLine.HelpCommand.class},
        commandListHeading = "%nRoles:%n")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // gRPC's Netty logs through java.util.logging: through SLF4J, its lines get our format (text or JSON).
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure at run time, 2 bad usage or configuration). */
    public static int execute(String... args) {
        String env = System.getenv(LogFormat.KEY.env());
        if (env != null && !env.isBlank()) {
            try {
                applyLogFormat(env, LogFormat.KEY.env());
            } catch (IllegalArgumentException e) {
                System.err.println("hubble-topology: " + e.getMessage());
                return 2;
            }
        }
        CommandLine cli = commandLine();
        // A bad option is one line naming it, not a page of usage.
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getCommandLine().getCommandName() + ": " + e.getMessage() + " (see --help)");
            return 2;
        });
        return cli.execute(args);
    }

    /** The jar's command line: every role, and the options they all inherit. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.getCommandSpec().addOption(logFormatOption(cli));
        return cli;
    }

    /**
     * Every role's log format: added here once and inherited by each role, so no role's options restate it; its
     * help comes from {@link LogFormat#KEY} as every setting's does. {@code LOG_FORMAT} is read in
     * {@link #execute} before the options, which then win.
     */
    private static OptionSpec logFormatOption(CommandLine cli) {
        SettingFlag flag = SettingFlag.of(LogFormat.KEY);
        return OptionSpec.builder(flag.name()).userObject(flag).scopeType(ScopeType.INHERIT).paramLabel(flag.label())
                .type(String.class).hasInitialValue(false).description(flag.description())
                .setter(new CommandLine.Model.ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value == null) {
                            return null;   // picocli resetting the option before a parse: nothing was given
                        }
                        try {
                            applyLogFormat((String) value, flag.name());
                        } catch (IllegalArgumentException e) {
                            // A ParameterException reaches the one-line handler as it is; anything else picocli wraps.
                            throw new CommandLine.ParameterException(cli, e.getMessage());
                        }
                        return null;
                    }
                }).build();
    }

    private static void applyLogFormat(String text, String source) {
        LogFormat format;
        try {
            format = LogFormat.KEY.parser().apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " (" + LogFormat.KEY.name() + "): " + e.getMessage(), e);
        }
        format.apply();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hubble-topology " + (v == null ? "dev" : v)};
        }
    }
}
