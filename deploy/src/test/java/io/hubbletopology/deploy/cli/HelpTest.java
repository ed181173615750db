package io.hubbletopology.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.deploy.Main;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --help} of every role lists every option with its setting's key, variable and default, from the key itself. */
class HelpTest {

    @Test
    void everyRolesHelpListsEveryOptionWithItsDefault() {
        Map<String, CommandLine> roles = Main.commandLine().getSubcommands();
        int settings = 0;
        for (Map.Entry<String, CommandLine> role : roles.entrySet()) {
            if (role.getKey().equals("help")) {
                continue;
            }
            String help = role.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
            for (OptionSpec option : role.getValue().getCommandSpec().options()) {
                assertThat(help).as(role.getKey()).contains(option.longestName());
                if (option.userObject() instanceof SettingFlag flag) {
                    settings++;
                    String expected = flag.required() ? "Key " + flag.key().name() + "."
                            : "Default: " + SettingFlag.defaultText(flag.key()) + ".";
                    assertThat(String.join(" ", option.description())).as(role.getKey() + " " + option.longestName())
                            .startsWith(flag.key().description()).endsWith(expected);
                    boolean readsEnvironment = !(role.getValue().getCommand() instanceof SettingsCommand<?> command)
                            || !command.environment().isEmpty();
                    if (flag.key().env() != null && readsEnvironment) {
                        assertThat(help).as(role.getKey()).contains("env " + flag.key().env());
                    }
                }
            }
        }
        assertThat(settings).as("options derived from settings").isGreaterThan(40);
        // The option every role inherits from the jar's command line is derived from its key too.
        assertThat(roles.get("ingest").getCommandSpec().findOption("--log-format").userObject()).isInstanceOf(SettingFlag.class);
    }

    @Test
    void aFlagSaysItsKeyVariableAndDefault() {
        assertThat(SettingFlag.of(io.hubbletopology.ingest.IngestConfig.MODE).description())
                .isEqualTo("What to discover: hubble (flows), sysfs (this node's link states) or both. "
                        + "Key discovery.mode, env DISCOVERY_MODE. Default: both.");
    }
}
