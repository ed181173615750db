package io.hubbletopology.deploy.roles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.observer.ObserverSettings;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.processor.ProcessorConfig;

/**
 * The settings of the processor role: the processor's and its query API's, read once from the same values.
 *
 * <pre>{@code
 * ProcessorRoleSettings settings = ProcessorRoleSettings.from(ConfigValues.load(yaml, System.getenv(), Map.of()));
 * new ProcessorRole(settings::processor, settings.api(), settings.observer());
 * }</pre>
 *
 * @param processor the Kafka Streams processor's settings
 * @param api       the query API's settings
 * @param observer  the settings of Hubble's Observer API over the flow history
 */
public record ProcessorRoleSettings(ProcessorConfig processor, ApiSettings api, ObserverSettings observer) {

    /** What {@code /health} reports as the mode of this role. */
    static final String MODE = "processor";

    /** Every setting of the processor role: the processor's, the query API's, then the Observer API's. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(ProcessorConfig.keys());
        keys.addAll(ApiSettings.keys());
        keys.addAll(ObserverSettings.keys());
        return List.copyOf(keys);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first bad one. */
    public static ProcessorRoleSettings from(ConfigValues values) {
        if (values.get(ProcessorConfig.STATE_DIR) == null) {
            // One state directory per API port, so two processors on one machine do not fight over the same lock.
            values = values.withOverride(ProcessorConfig.STATE_DIR.name(),
                    ProcessorConfig.localStateDir("processor-" + values.get(ApiSettings.PORT)).toString());
        }
        return new ProcessorRoleSettings(ProcessorConfig.from(values), ApiSettings.from(values, MODE),
                ObserverSettings.from(values));
    }
}
