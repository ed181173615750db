package io.hubbletopology.processor;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hubbletopology.config.ConfigValues;

/**
 * The processor alone in a JVM of its own, so a test can kill it the hard way (SIGKILL, no shutdown hook,
 * no close) as a crash or an OOM kill would. Arguments are config keys: {@code processor.exactly_once=true ...}.
 */
public final class ProcessorChild {

    private ProcessorChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        TopologyProcessor processor = new TopologyProcessor(ProcessorConfig.from(ConfigValues.of(settings)));
        processor.start();
        System.out.println("processor started");
        Thread.currentThread().join();
    }
}
