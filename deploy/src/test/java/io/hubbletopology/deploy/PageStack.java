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

    private PageStack(SimulatedHubbleServer hubble, ProcessorRole processor, IngestRole ingest) {
        this.hubble = hubble;
        this.processor = processor;
        this.ingest = ingest;
    }

    static void assumeChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(present, "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
        }
        assertThat(present).as("CI installs Chromium and ChromeDriver in .ci/run").isTrue();
    }

    /** Starts the cluster and waits until the API answers edges and this machine's loopback interface. */
    static PageStack start(String name, Path dir) throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed(name + ".");
        ProcessorRole processor = new ProcessorRole(() -> new ProcessorConfig(kafka, Map.of(), name, null,
                dir.resolve("state"), 1, 0, Duration.ofMillis(200), false, Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofHours(1), topics, 2, (short) 1), new ApiSettings("127.0.0.1", 0, "both"));
        SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(3)::next)
                .flowsPerSecond(300).start();
        Map<String, String> ingestSettings = new HashMap<>(KafkaSettings.topicOverrides(topics));
        ingestSettings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka, IngestConfig.NODE_NAME.name(), name + "-node",
                IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubble.port(), IngestConfig.HEALTH_PORT.name(), "0",
                IngestConfig.FLOWS_RETENTION.name(), "1h"));
        IngestRole ingest = new IngestRole(() -> IngestConfig.of(ingestSettings));
        PageStack stack = new PageStack(hubble, processor, ingest);
        processor.start();
        ingest.start();
        String page = stack.page();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.totalFlows(Http.get(page + "topology").body()) > 0
                        && Http.get(page + "links").body().path("links").findValuesAsText("name").contains("lo"));
        return stack;
    }

    /** The page's address, ending in a slash. */
    String page() {
        return "http://127.0.0.1:" + processor.apiPort() + "/";
    }

    @Override
    public void close() {
        ingest.stop();
        processor.stop();
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
    @SuppressWarnings("unchecked")
    static void clickOnMap(WebDriver browser, String id) {
        Map<String, Object> p = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "const cy = window.hubbleTopology.cy; const e = cy.getElementById(arguments[0]);"
                        + "const p = e.isEdge() ? e.renderedMidpoint() : e.renderedPosition(); const c = cy.container();"
                        + "return {x: p.x, y: p.y, w: c.clientWidth, h: c.clientHeight};", id);
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
