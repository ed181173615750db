package io.hubbletopology.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * docs/metrics.md read as data, so that tests can hold it against a real {@code /metrics} scrape and against the
 * alerts and dashboards that use its names. Each role's section starts {@code ## ... (role `api`)}; each metric
 * is a table row {@code | `name` | type | labels | notes |}; "after first use" in the notes means the family
 * appears only once the role has done that thing. Shared here because every role's tests (ingest, query-api,
 * deploy) use it and they all depend on this test-jar.
 *
 * <pre>{@code
 * MetricsReference doc = MetricsReference.read(MetricsReference.locate());
 * assertThat(MetricsReference.scrapedFamilies(scrape).keySet()).containsAll(doc.alwaysPresent("ingest").keySet());
 * }</pre>
 */
public record MetricsReference(Map<String, Map<String, Family>> roles) {

    public static final String OWN_PREFIX = "hubble_topology_";
    public static final String AFTER_FIRST_USE = "after first use";

    private static final Pattern ROLE = Pattern.compile("^## .*\\(role `([a-z]+)`\\)\\s*$");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|\\s*([a-z]+)\\s*\\|([^|]*)\\|([^|]*)\\|\\s*$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    /** Our names and the Kafka clients' in a PromQL expression; label names and values never start so. */
    private static final Pattern PROMQL_METRIC = Pattern.compile("(?<![A-Za-z0-9_:\"])((?:hubble_topology|kafka)_[a-z0-9_]+)(?![A-Za-z0-9_\"])");
    /** What a Prometheus series name adds to its family's name. */
    private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|count|sum)$");

    /** One documented metric family, named as in the scrape's {@code # TYPE} line. */
    public record Family(String name, String type, String labels, boolean afterFirstUse) {
    }

    /** docs/metrics.md from a module's directory (Maven's working directory) or the repository root. */
    public static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path doc = p.resolve("docs/metrics.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("docs/metrics.md not found above " + Path.of("").toAbsolutePath());
    }

    public static MetricsReference read(Path doc) {
        Map<String, Map<String, Family>> roles = new LinkedHashMap<>();
        String role = null;
        try {
            for (String line : Files.readAllLines(doc)) {
                Matcher heading = ROLE.matcher(line);
                if (heading.matches()) {
                    role = heading.group(1);
                    roles.putIfAbsent(role, new TreeMap<>());
                    continue;
                }
                if (line.startsWith("## ")) {
                    role = null;
                }
                Matcher row = ROW.matcher(line);
                if (role != null && row.matches()) {
                    roles.get(role).put(row.group(1), new Family(row.group(1), row.group(2), row.group(3).trim(),
                            row.group(4).contains(AFTER_FIRST_USE)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MetricsReference(roles);
    }

    public Map<String, Family> families(String role) {
        Map<String, Family> families = roles.get(role);
        if (families == null) {
            throw new IllegalArgumentException("docs/metrics.md has no section for role " + role);
        }
        return families;
    }

    /** The role's families that every scrape shows, from the start. */
    public Map<String, Family> alwaysPresent(String role) {
        return families(role).entrySet().stream().filter(e -> !e.getValue().afterFirstUse())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** Whether a series name used in PromQL ({@code x_total}, {@code x_seconds_bucket}, ...) is a documented family's. */
    public boolean documentsSeries(String series) {
        Set<String> all = roles.values().stream().flatMap(f -> f.keySet().stream()).collect(Collectors.toSet());
        return all.contains(series) || all.contains(SERIES_SUFFIX.matcher(series).replaceFirst(""));
    }

    /** The metric names a PromQL expression reads (of ours and of the Kafka clients). */
    public static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = PROMQL_METRIC.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Family name to type, from a Prometheus text-format scrape's {@code # TYPE} lines. */
    public static Map<String, String> scrapedFamilies(String scrape) {
        Map<String, String> families = new TreeMap<>();
        scrape.lines().map(TYPE::matcher).filter(Matcher::matches).forEach(m -> families.put(m.group(1), m.group(2)));
        return families;
    }

    /** The scraped families of our own (prefix {@value #OWN_PREFIX}). */
    public static Map<String, String> ownFamilies(String scrape) {
        Map<String, String> own = new TreeMap<>(scrapedFamilies(scrape));
        own.keySet().removeIf(name -> !name.startsWith(OWN_PREFIX));
        return own;
    }
}
