package io.hubbletopology.deploy.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.hubbletopology.config.ConfigKey;

/**
 * What one run of the end-to-end benchmark does, from its command line:
 * <pre>
 * --rates 5000,10000,20000,35000,50000,70000,90000  flows/s offered by the simulated Hubble, one step each
 * --initial-warmup 20s                         at the first rate before the first step (JIT, connections, caches)
 * --warmup 5s --measure 20s                    per step: time at the new rate before measuring, then measured
 * --partitions 6                               partitions of the topics the roles create
 * --commit-interval 100ms                      the processor's commit interval (default: the processor's own, 1 s, as
 *                                              a user runs it; the live map does not wait for it)
 * --exactly-once                               run the processor with exactly_once_v2
 * --all-steps                                  keep raising the rate after the pipeline fell behind
 * </pre>
 */
record BenchSettings(List<Integer> rates, Duration initialWarmup, Duration warmup, Duration measure, int partitions, Optional<Duration> commitInterval,
                     boolean exactlyOnce, boolean allSteps, int baselineRecords) {

    static BenchSettings parse(String[] args) {
        List<Integer> rates = List.of(5_000, 10_000, 20_000, 35_000, 50_000, 70_000, 90_000);
        Duration initialWarmup = Duration.ofSeconds(20);
        Duration warmup = Duration.ofSeconds(5);
        Duration measure = Duration.ofSeconds(20);
        int partitions = 6;
        Optional<Duration> commit = Optional.empty();
        boolean exactlyOnce = false;
        boolean allSteps = false;
        int baselineRecords = 1_000_000;
        List<String> list = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < list.size(); i++) {
            String option = list.get(i);
            switch (option) {
                case "--exactly-once" -> exactlyOnce = true;
                case "--all-steps" -> allSteps = true;
                case "--rates", "--initial-warmup", "--warmup", "--measure", "--partitions", "--commit-interval", "--baseline-records" -> {
                    if (i + 1 >= list.size()) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    String value = list.get(++i);
                    switch (option) {
                        case "--rates" -> rates = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
                        case "--initial-warmup" -> initialWarmup = ConfigKey.parseDuration(value);
                        case "--warmup" -> warmup = ConfigKey.parseDuration(value);
                        case "--measure" -> measure = ConfigKey.parseDuration(value);
                        case "--partitions" -> partitions = Integer.parseInt(value);
                        case "--commit-interval" -> commit = Optional.of(ConfigKey.parseDuration(value));
                        default -> baselineRecords = Integer.parseInt(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option
                        + " (known: --rates, --initial-warmup, --warmup, --measure, --partitions, --commit-interval, --exactly-once, --all-steps, --baseline-records)");
            }
        }
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0)) {
            throw new IllegalArgumentException("--rates needs positive flows/s");
        }
        return new BenchSettings(rates, initialWarmup, warmup, measure, partitions, commit, exactlyOnce, allSteps, baselineRecords);
    }
}
