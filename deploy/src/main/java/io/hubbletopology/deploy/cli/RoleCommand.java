package io.hubbletopology.deploy.cli;

import java.util.List;
import java.util.function.Function;

import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.roles.Role;
import io.hubbletopology.deploy.roles.RoleRunner;

/**
 * The command of a role that runs on its own: it starts the role from its settings, prints the role's
 * {@link Role#readyLines}, and runs it until Ctrl-C or SIGTERM, or until the role has finished its work
 * ({@link Role#finished}: a replay at the end of its input), then stops it and exits 0.
 *
 * <pre>{@code
 * @Command(name = "sink", description = "...")
 * public final class SinkCommand extends RoleCommand<SinkConfig> {
 *     public SinkCommand() {
 *         super(SinkConfig.keys(), SinkConfig::from, ConfigFile.YAML, SinkRole::new);
 *     }
 * }
 * }</pre>
 *
 * @param <S> the role's settings
 */
public abstract class RoleCommand<S> extends SettingsCommand<S> {

    private final Function<S, Role> role;

    /** @param role the role, made from its settings (not started) */
    protected RoleCommand(List<ConfigKey<?>> keys, Function<ConfigValues, S> parser, ConfigFile file, Function<S, Role> role) {
        super(keys, parser, file);
        this.role = role;
    }

    @Override
    protected final int run(S settings) {
        Role running = role.apply(settings);
        RoleRunner runner = new RoleRunner();
        return runner.run(List.of(running), () -> {
            running.readyLines().forEach(System.out::println);
            running.finished().whenComplete((result, error) -> runner.requestStop());
        });
    }
}
