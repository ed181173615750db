package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/**
 * What the browser tests drive: the simulated 12-workload cluster (Hubble over gRPC), an ingest agent and a
 * processor with its API on a real broker, and headless Chromium (Debian's chromium and chromium-driver, which
 * .ci/run installs). Outside CI, a machine without them skips the test.
 */
final class PageStack implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final SimulatedHubbleServer hubble;
    private final ProcessorRole processor;
    private final IngestRole ingest;
    private final int apiPort;
    private boolean processorRunning;

    private PageStack(SimulatedHubbleServer hubble, ProcessorRole processor, IngestRole ingest, int apiPort) {
        this.hubble = hubble;
        this.processor = processor;
        this.ingest = ingest;
        this.apiPort = apiPort;
    }

    static void assumeChromium() {
        Assumptions.assumeTrue(chromiumHere(), "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
    }

    /** Whether Chromium and ChromeDriver are installed; in CI, where .ci/run installs them, they must be. */
    static boolean chromiumHere() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") != null) {
            assertThat(present).as("CI installs Chromium and ChromeDriver in .ci/run").isTrue();
        }
        return present;
    }

    /** Starts the cluster and waits until the API answers edges and this machine's loopback interface. */
    static PageStack start(String name, Path dir) throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed(name + ".");
        // A port of its own rather than any free one: a processor restarted by a test listens where the page looks.
        int apiPort = TestPorts.next();
        ProcessorRole processor = new ProcessorRole(() -> ProcessorConfig.defaults(kafka, name, dir.resolve("state"), topics,
                Map.of("processor.commit_interval", "200ms", "processor.window.grace", "5m",
                        "processor.window.retention", "1h", "kafka.partitions", "2", "kafka.replication_factor", "1")),
                new ApiSettings("127.0.0.1", apiPort, "both"));
        SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(3)::next)
                .flowsPerSecond(300).start();
        Map<String, String> ingestSettings = new HashMap<>(KafkaSettings.topicOverrides(topics));
        ingestSettings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka, IngestConfig.NODE_NAME.name(), name + "-node",
                IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubble.port(), IngestConfig.HEALTH_PORT.name(), "0",
                IngestConfig.FLOWS_RETENTION.name(), "1h"));
        IngestRole ingest = new IngestRole(() -> IngestConfig.of(ingestSettings));
        PageStack stack = new PageStack(hubble, processor, ingest, apiPort);
        stack.startProcessor();
        ingest.start();
        String page = stack.page();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.totalFlows(Http.get(page + "topology").body()) > 0
                        && Http.get(page + "links").body().path("links").findValuesAsText("name").contains("lo"));
        return stack;
    }

    /** The page's address, ending in a slash. */
    String page() {
        return "http://127.0.0.1:" + apiPort + "/";
    }

    /** Stops the processor role and its API, as a rolling update or a crash loop would: the page's feeds drop. */
    void stopProcessor() {
        processorRunning = false;
        processor.stop();
    }

    /** Starts the processor role (again) on the same port and state directory; ingest went on writing meanwhile. */
    void startProcessor() {
        processor.start();
        processorRunning = true;
    }

    @Override
    public void close() {
        ingest.stop();
        if (processorRunning) {
            processor.stop();
        }
        hubble.close();
    }

    static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1400,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The edge the simulated cluster always drops by policy, as the map names it. */
    static final String DROPPED_EDGE = "shop/deployment/frontend|data/statefulset/postgres|TCP|5432";

    /** Clicks a map element (a node, or an edge at its midpoint) where Chromium draws it, as a user would. */
    static void clickOnMap(WebDriver browser, String id) {
        clickAt(browser, "const cy = window.hubbleTopology.cy; const e = cy.getElementById(arguments[0]);"
                + "const p = e.isEdge() ? e.renderedMidpoint() : e.renderedPosition(); const c = cy.container();"
                + "return {x: p.x, y: p.y, w: c.clientWidth, h: c.clientHeight};", id);
    }

    /**
     * Clicks an opened namespace's box (a compound node) where neither a workload nor an edge is drawn: of points
     * along its top and bottom margins, the one farthest from every workload and every edge.
     */
    static void clickNamespaceBox(WebDriver browser, String id) {
        clickAt(browser, """
                const cy = window.hubbleTopology.cy; const bb = cy.getElementById(arguments[0]).renderedBoundingBox({includeLabels: false});
                const c = cy.container();
                function away(p, a, b) {
                  const dx = b.x - a.x, dy = b.y - a.y, len = dx * dx + dy * dy;
                  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
                  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
                }
                let best = null, bestAway = -Infinity;
                for (const fx of [0.1, 0.25, 0.4, 0.6, 0.75, 0.9]) {
                  for (const y of [bb.y1 + 3, bb.y2 - 3]) {
                    const p = {x: bb.x1 + fx * (bb.x2 - bb.x1), y: y};
                    let d = Infinity;
                    cy.edges().forEach(e => { d = Math.min(d, away(p, e.source().renderedPosition(), e.target().renderedPosition())); });
                    cy.nodes(':childless').forEach(n => { d = Math.min(d, away(p, n.renderedPosition(), n.renderedPosition()) - n.renderedWidth() / 2); });
                    if (d > bestAway) { bestAway = d; best = p; }
                  }
                }
                return {x: best.x, y: best.y, w: c.clientWidth, h: c.clientHeight};
                """, id);
    }

    /** Clicks the map at the point a script returns ({x, y} inside the map, and the map's w and h). */
    @SuppressWarnings("unchecked")
    private static void clickAt(WebDriver browser, String script, Object... args) {
        Map<String, Object> p = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(script, args);
        new Actions(browser).moveToElement(browser.findElement(By.id("map")),
                ((Number) p.get("x")).intValue() - ((Number) p.get("w")).intValue() / 2,
                ((Number) p.get("y")).intValue() - ((Number) p.get("h")).intValue() / 2).click().perform();
    }

    /**
     * The texts (or option values) of the elements a selector matches, read in one go inside the page: the page
     * redraws its tables twice a second, so elements found one call earlier may be gone.
     */
    @SuppressWarnings("unchecked")
    static List<String> texts(WebDriver browser, String css) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.value !== undefined && e.tagName === 'OPTION'"
                        + " ? e.value : e.textContent);", css);
    }
}
